/**
 * The resolver's port: what it asks of wherever distributions come from. The resolver owns the
 * interface and the index implements it (structurally: src/index does not import the resolver),
 * as pubgrub-rs's `DependencyProvider` and uv's `ResolverProvider` live in the resolver with the
 * distribution data below both (here src/pep distribution.ts).
 *
 * Implementations fetch, cache and parse; the resolver only awaits. Expected outcomes are data
 * ("not found" is a `ProjectResponse`); other failures (network down, bad hash, invalid
 * metadata) are thrown as typed errors with a `code` and a message a person can act on.
 */
import type { DistributionFile, DistributionMetadata, NormalizedName, ProjectResponse } from '../pep';
import type { AllowedHashes } from './candidates';

export interface PackageSource {
  /** The candidate files of a project, from every configured index. */
  getProject(name: NormalizedName, signal?: AbortSignal): Promise<ProjectResponse>;
  /** The core metadata of one file: PEP 658 `.metadata` first, then the wheel itself. */
  getMetadata(file: DistributionFile, signal?: AbortSignal): Promise<DistributionMetadata>;
  /**
   * The file behind a direct reference (`name @ url`, local wheels). Without it, the URL
   * (`http(s):`, or `file:` when the source's fetch reads files) is taken as a wheel file, its
   * name from the path and its sha256 from a `#sha256=` fragment (`fileFromUrl`), and its
   * metadata is asked of `getMetadata`.
   */
  getDirectReference?(url: string, signal?: AbortSignal): Promise<DistributionFile>;
  /**
   * The digests the person allows for a project (`--hash` in requirements and constraints
   * files, pip's `Hashes` of its `InstallRequirement`s), which restrict its files as pip's
   * PackageFinder does (candidates.ts `selectFiles`). Null or absent: no restriction.
   */
  allowedHashes?(name: NormalizedName): AllowedHashes | null;
}
