/**
 * The explanation of a failed resolution, in pip's words where pip has words and PubGrub's
 * derivation where it has none:
 *
 * - One requirement that nothing satisfies (the tree is about one requested project):
 *     ERROR: Could not find a version that satisfies the requirement foo>=3 (from versions: 1.0, 2.0)
 *     ERROR: No matching distribution found for foo>=3
 *   preceded, as pip does, by the yanked versions and those that require another Python.
 * - Anything else: pip's ResolutionImpossible header naming the requirements involved, then
 *   the derivation ("Because ... and ..., we can conclude that ... (1)") and pip's advice.
 * Either way followed by hints: `--pre`, source-only releases, wheels for other platforms or
 * another Pyodide, versions Pyodide's own build provides, `--exclude-newer`, yanked versions.
 *
 * Ranges are collapsed to what the index actually lists: `foo>=2.0` rather than
 * `foo>=2.0,<2.1` when 2.0 is the newest, `foo==1.0` when it is the only listed version inside
 * (pubgrub-rs `Range::simplify`, uv's `simplify_derivation_tree_ranges`).
 */
import { type Requirement, VersionRange, type NormalizedName, Version } from '../pep';
import type { ProjectCandidates } from './candidates';
import { below } from './candidates';
import { type DerivationTree, externalCauses, mapDerivationTree } from './derivation-tree';
import type { ExternalCause } from './incompatibility';
import { packageKind, projectOf, PYTHON_PACKAGE, type PythonPackage, ROOT_PACKAGE } from './python-package';
import { explainTree, SentenceFormatter } from './report';
import { describeReason, shortList, type UnavailableReason } from './unavailable';

export type PythonDerivationTree = DerivationTree<PythonPackage, Version, VersionRange, UnavailableReason>;
type External = ExternalCause<PythonPackage, Version, VersionRange, UnavailableReason>;

/** What the explanation needs to know besides the tree. */
export interface ReportContext {
  /** The project's candidate versions, when it was fetched. */
  candidates(name: NormalizedName): ProjectCandidates | null;
  /** The target interpreter's version. */
  readonly python: Version;
  /** The best platform tag of this Pyodide (`pyemscripten_2026_0_wasm32`). */
  readonly platform: string;
  /** The root requirements, as the person wrote them. */
  readonly requirements: readonly Requirement[];
}

/** The parts of an explanation; `text` is them joined as printed. */
export interface Explanation {
  /** pip's ERROR lines. */
  readonly header: readonly string[];
  /** The derivation, one sentence per line; blank lines separate branches. May be empty. */
  readonly derivation: readonly string[];
  readonly hints: readonly string[];
  readonly text: string;
}

/** Sentences about Python packages (see the module comment). */
export class PythonFormatter extends SentenceFormatter<PythonPackage, Version, VersionRange, UnavailableReason> {
  constructor(private readonly ctx: ReportContext) {
    super();
  }

  isRoot(p: PythonPackage): boolean {
    return p === ROOT_PACKAGE;
  }

  compatibleRange(p: PythonPackage, set: VersionRange): string {
    if (p === ROOT_PACKAGE) return this.formatRootName();
    if (p === PYTHON_PACKAGE) return `Python${spec(set)}`;
    const listed = this.listed(p);
    if (set.isFull() && listed.length !== 1) return `all versions of ${p}`;
    if (listed.length > 0) {
      const inside = listed.filter((v) => set.contains(v));
      // A project with one release: name it, "all versions of" would suggest more.
      if (inside.length === listed.length) return listed.length === 1 ? `${p}==${listed[0]}` : `all versions of ${p}`;
      if (inside.length === 1) return `${p}==${inside[0]}`;
      if (inside.length > 1) return this.simplified(p, set, listed);
    }
    return `${p}${specOrString(set)}`;
  }

  dependencyRange(p: PythonPackage, set: VersionRange): string {
    if (set.isFull()) return p;
    const s = set.toSpecifierString();
    if (s !== null) return `${p}${tidy(s)}`;
    const listed = this.listed(p);
    return listed.length > 0 ? this.simplified(p, set, listed) : `${p}${set.toString()}`;
  }

  override plural(p: PythonPackage, set: VersionRange): boolean {
    const shown = this.compatibleRange(p, set);
    return shown.startsWith('all versions of ') || shown.includes(' or ');
  }

  formatReason(_p: PythonPackage, _set: VersionRange, reason: UnavailableReason, plural: boolean): string {
    return describeReason(reason, plural);
  }

  override formatNoVersions(p: PythonPackage, set: VersionRange): string {
    if (p === PYTHON_PACKAGE) return `the current Python version (${this.ctx.python}) does not satisfy Python${specOrString(set)}`;
    if (set.isFull()) return `there are no versions of ${p}`;
    const s = specOrString(set);
    return /^===?[^,*]+$/.test(s) ? `there is no version of ${p}${s}` : `there are no versions of ${p}${s}`;
  }

  override formatExternal(external: External): string {
    if (external.kind === 'unavailable' && external.reason.kind === 'not-found') {
      return `${projectOf(external.package) ?? external.package} ${describeReason(external.reason, false)}`;
    }
    // The constraint as written says it better than the versions it leaves out.
    if (external.kind === 'unavailable' && external.reason.kind === 'constraint') {
      return `your constraints allow only ${external.reason.constraint}`;
    }
    return super.formatExternal(external);
  }

  private listed(p: PythonPackage): Version[] {
    const name = projectOf(p);
    return name ? (this.ctx.candidates(name)?.versions ?? []) : [];
  }

  /**
   * The set as the runs of listed versions it holds, each stretched to the neighbouring listed
   * versions; the shorter of that and the set's own spelling.
   */
  private simplified(p: PythonPackage, set: VersionRange, listed: readonly Version[]): string {
    const runs: Array<[number, number]> = [];
    listed.forEach((v, i) => {
      if (!set.contains(v)) return;
      const last = runs[runs.length - 1];
      if (last && last[1] === i - 1) last[1] = i;
      else runs.push([i, i]);
    });
    const stretch = ([i, j]: [number, number]): VersionRange => {
      const lo = i === 0 ? null : (listed[i] as Version);
      const hi = j === listed.length - 1 ? null : (listed[j + 1] as Version);
      if (lo && hi) return VersionRange.between(lo, hi);
      if (lo) return below(lo).complement();
      if (hi) return below(hi);
      return VersionRange.full();
    };
    const union = runs.reduce((acc, run) => acc.union(stretch(run)), VersionRange.empty());
    const options = [set.toSpecifierString(), union.toSpecifierString()].filter((s): s is string => s !== null).map(tidy);
    if (options.length > 0) return `${p}${options.reduce((a, b) => (b.length < a.length ? b : a))}`;
    return runs
      .map(([i, j]) => (i === j ? `${p}==${listed[i]}` : `${p}${specOrString(stretch([i, j]))}`))
      .join(' or ');
  }
}

/** pip's spelling of a specifier set: no space after the comma. */
function tidy(s: string): string {
  return s.replace(/, /g, ',');
}

function spec(set: VersionRange): string {
  return specOrString(set);
}

function specOrString(set: VersionRange): string {
  const s = set.toSpecifierString();
  return s !== null ? tidy(s) : ` ${set.toString()}`;
}

/**
 * Drop the "a[x] depends on a==v" steps: an extra is pinned to its project's version by
 * construction, and saying so only lengthens the story (uv `collapse_proxies`).
 */
export function collapseExtraProxies(tree: PythonDerivationTree): PythonDerivationTree {
  const isProxy = (node: PythonDerivationTree): boolean => {
    if (node.kind !== 'external' || node.cause.kind !== 'dependency') return false;
    const k = packageKind(node.cause.package);
    return k.kind === 'extra' && node.cause.dependency === k.name;
  };
  return mapDerivationTree(
    tree,
    (node) => node,
    (node) => {
      if (isProxy(node.cause1)) return node.cause2;
      if (isProxy(node.cause2)) return node.cause1;
      return node;
    },
  );
}

const RESOLUTION_IMPOSSIBLE =
  'ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts';

/**
 * The most derivation lines an explanation shows: the last ones, which end in the conclusion
 * (report.ts `explainTree`). Real conflicts take a few lines; only pathological graphs take more.
 */
const DERIVATION_LINES = 200;

/** The whole explanation of `tree` (see the module comment). */
export function explainNoSolution(tree: PythonDerivationTree, ctx: ReportContext): Explanation {
  const collapsed = collapseExtraProxies(tree);
  const formatter = new PythonFormatter(ctx);
  const externals = externalCauses(collapsed);
  const derivation = explainTree(collapsed, formatter, DERIVATION_LINES);
  const hints = hintsFor(externals, formatter, ctx);

  // Which requested projects the failure involves, as the person wrote them (pip's "triggers").
  const involved = new Set<NormalizedName>();
  const projects = new Set<NormalizedName>();
  for (const e of externals) {
    const packages = e.kind === 'dependency' ? [e.package, e.dependency] : [e.package];
    for (const p of packages) {
      const name = projectOf(p);
      if (name) projects.add(name);
    }
    if (e.kind === 'dependency' && e.package === ROOT_PACKAGE) {
      const name = projectOf(e.dependency);
      if (name) involved.add(name);
    }
  }
  const requirementsOf = (name: NormalizedName): string[] =>
    ctx.requirements.filter((r) => r.normalizedName === name).map((r) => r.toString());

  let header: string[];
  let body: string[];
  const single = singleRequirement(externals, involved, projects);
  if (single) {
    const requirement = single.parent
      ? `${single.requirement} (from ${single.parent})`
      : requirementsOf(single.name).join(', ') || single.name;
    header = couldNotFind(single.name, requirement, single.parent ? single.requirement : requirement, ctx);
    // The derivation adds nothing to "no versions match" on its own; say it when there is more.
    const trivial = externals.every(
      (e) =>
        (e.kind === 'dependency' && e.dependency !== PYTHON_PACKAGE) ||
        (e.kind === 'no-versions' && e.package !== PYTHON_PACKAGE) ||
        (e.kind === 'unavailable' && e.reason.kind === 'not-found'),
    );
    body = trivial ? [] : ['', ...derivation];
  } else {
    const triggers = [...involved].sort().flatMap(requirementsOf).sort();
    const info = triggers.length > 0 ? textJoin(triggers) : 'the requested packages';
    header = [`ERROR: Cannot install ${info} because these package versions have conflicting dependencies.`];
    body = ['', 'The conflict is caused by:', ...derivation.map((l) => (l === '' ? '' : `    ${l}`))];
  }
  const lines = [...header, ...body];
  if (hints.length > 0) for (const l of ['', ...hints]) lines.push(l);
  if (header[0]?.startsWith('ERROR: Cannot install')) {
    lines.push(
      '',
      'To fix this you could try to:',
      "1. loosen the range of package versions you've specified",
      '2. remove package versions to allow pip to attempt to solve the dependency conflict',
      '',
      RESOLUTION_IMPOSSIBLE,
    );
  }
  return { header, derivation, hints, text: lines.join('\n') };
}

/**
 * When the failure is one requirement nothing satisfies, pip reports just that
 * (`_report_single_requirement_conflict`): a requested project whose versions all fail on
 * their own (not found, none in range, all unusable, another Python), or a project required
 * only by one other, requested project ("(from parent)").
 */
function singleRequirement(
  externals: readonly External[],
  involved: ReadonlySet<NormalizedName>,
  projects: ReadonlySet<NormalizedName>,
): { name: NormalizedName; requirement: string; parent: NormalizedName | null } | null {
  // A constraint against a requirement is a conflict between two things the person said.
  if (externals.some((e) => e.kind === 'unavailable' && e.reason.kind === 'constraint')) return null;
  if (projects.size === 1) {
    const [only] = projects;
    return only !== undefined && involved.has(only) ? { name: only, requirement: only, parent: null } : null;
  }
  if (projects.size !== 2 || involved.size !== 1) return null;
  const [parent] = involved as Set<NormalizedName>;
  const child = [...projects].find((p) => p !== parent);
  if (parent === undefined || child === undefined) return null;
  let requirement: string | null = null;
  let failures = 0;
  for (const e of externals) {
    if (e.kind === 'dependency') {
      if (e.package === ROOT_PACKAGE && projectOf(e.dependency) === parent) continue;
      if (projectOf(e.package) === parent && projectOf(e.dependency) === child) {
        // One requirement on the child: two different ones are a conflict between them.
        const text = e.dependencySet.isFull() ? child : `${child}${specOrString(e.dependencySet)}`;
        if (requirement !== null && requirement !== text) return null;
        requirement = text;
        continue;
      }
      if (e.dependency === PYTHON_PACKAGE && projectOf(e.package) === child) continue;
      return null;
    }
    // Facts about the parent's own versions would make it more than a missing requirement.
    if (e.package !== PYTHON_PACKAGE && projectOf(e.package) !== child) return null;
    failures++;
  }
  return requirement === null || failures === 0 ? null : { name: child, requirement, parent };
}

/** pip's `_report_single_requirement_conflict`. */
function couldNotFind(name: NormalizedName, display: string, requirement: string, ctx: ReportContext): string[] {
  const candidates = ctx.candidates(name);
  const versions: string[] = [];
  const yanked: string[] = [];
  const otherPython: string[] = [];
  for (const c of candidates?.candidates ?? []) {
    const status = c.status();
    if (status.kind === 'usable') (status.yanked === false ? versions : yanked).push(c.version.toString());
    else if (status.kind === 'requires-python') otherPython.push(`${c.version} Requires-Python ${status.requiresPython}`);
  }
  const lines: string[] = [];
  if (yanked.length > 0) lines.push(`ERROR: Ignored the following yanked versions: ${yanked.join(', ')}`);
  if (otherPython.length > 0) {
    lines.push(`ERROR: Ignored the following versions that require a different python version: ${otherPython.join('; ')}`);
  }
  lines.push(
    `ERROR: Could not find a version that satisfies the requirement ${display} (from versions: ${versions.join(', ') || 'none'})`,
    `ERROR: No matching distribution found for ${requirement}`,
  );
  return lines;
}

function textJoin(parts: readonly string[]): string {
  if (parts.length === 1) return parts[0] as string;
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Actionable hints for the facts the failure rests on, each once. */
function hintsFor(externals: readonly External[], f: PythonFormatter, ctx: ReportContext): string[] {
  const hints: string[] = [];
  const add = (h: string): void => {
    if (!hints.includes(h)) hints.push(h);
  };
  for (const e of externals) {
    const name = projectOf(e.package);
    if (!name) continue;
    if (e.kind === 'unavailable') {
      const range = f.compatibleRange(name, e.set);
      const r = e.reason;
      switch (r.kind) {
        case 'prerelease': {
          const example = ctx.candidates(name)?.versions.filter((v) => e.set.contains(v) && v.isPrerelease).at(-1);
          add(
            `hint: Pre-releases are available for ${name} in the requested range${example ? ` (e.g. ${example})` : ''}, but pre-releases weren't enabled (try: --pre)`,
          );
          break;
        }
        case 'sdist-only':
          add(
            `hint: ${range} ${f.plural(name, e.set) ? 'are' : 'is'} published only as source (${shortList(r.filenames)}). Pyodide cannot build packages from source: it needs a pure-Python wheel (py3-none-any) or one built for ${ctx.platform}.`,
          );
          break;
        case 'platform':
          add(
            `hint: ${range} ${f.plural(name, e.set) ? 'have' : 'has'} wheels only for other platforms (${shortList(r.platforms)}). Pyodide installs pure-Python wheels (py3-none-any) and wheels built for ${ctx.platform}.`,
          );
          break;
        case 'pyodide-abi':
          add(
            `hint: ${range} ${f.plural(name, e.set) ? 'were' : 'was'} built for another Pyodide ABI (${shortList(r.platforms)}); this Pyodide loads ${r.expected} wheels.`,
          );
          break;
        case 'python-tag':
          add(`hint: ${range} ${f.plural(name, e.set) ? 'have' : 'has'} wheels only for ${shortList(r.tags)}, not for Python ${ctx.python}.`);
          break;
        case 'excluded-newer':
          add(`hint: ${name} was filtered by --exclude-newer to files uploaded before ${r.cutoff}; consider a later cut-off.`);
          break;
        case 'yanked': {
          const latest = ctx.candidates(name)?.versions.filter((v) => e.set.contains(v)).at(-1);
          add(`hint: ${range} ${f.plural(name, e.set) ? 'were' : 'was'} yanked; pip uses a yanked version only when pinned${latest ? ` (try: ${name}==${latest})` : ''}.`);
          break;
        }
        default:
          break;
      }
      if (r.kind === 'sdist-only' || r.kind === 'platform' || r.kind === 'pyodide-abi' || r.kind === 'python-tag' || r.kind === 'not-found') {
        pyodideHint(name, e.set, ctx, add);
      }
    } else if (e.kind === 'no-versions' && e.package !== PYTHON_PACKAGE) {
      pyodideHint(name, e.set, ctx, add);
    }
  }
  return hints;
}

/**
 * When Pyodide's packages are off and the running release has a build of the project that the
 * request admits, say so and how to turn them on. Only a version inside `set` is ever named: a
 * hint must not suggest what the person did not ask for.
 */
function pyodideHint(name: NormalizedName, set: VersionRange, ctx: ReportContext, add: (h: string) => void): void {
  const build = ctx.candidates(name)?.pyodideBuild;
  const version = build ? Version.tryParse(build.version) : null;
  if (!build || !version || !set.contains(version)) return;
  const off = build.why === 'no-index' ? 'they are off under --no-index' : 'they are switched off (--pyodide-packages none)';
  add(
    `hint: ${name} ${build.version} installs here as Pyodide's own build (${build.filename}), one of Pyodide's packages, but ${off}. ` +
      'To use them, serve an unpacked Pyodide distribution beside the page (PYODIDE_PACKAGES=DIR npm start) or point pip at one (--pyodide-packages URL).',
  );
}
