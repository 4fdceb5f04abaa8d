/**
 * The JavaScript side of the in-process frontend: writes frontend-module.ts's Python into the
 * build folder (afresh before every call, so nothing a backend wrote there is ever run as ours)
 * and calls its functions through the injected BuildPython.
 */
import type { FileSystem } from '../install';
import { BUILD_ROOT } from './build-environment';
import type { BuildIo, BuildPython } from './build-python';
import { FRONTEND_MODULE, FRONTEND_MODULE_NAME } from './frontend-module';

const encoder = new TextEncoder();
const SILENT: BuildIo = { stdout: () => {}, stderr: () => {} };

/** What pyproject_hooks' hook caller answered (see `call_hook` in the Python module). */
export type HookOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly kind: 'backend-unavailable' | 'hook-missing' | 'unsupported' | 'failed'; readonly message: string; readonly traceback: string };

export interface HookRequest {
  readonly source_dir: string;
  readonly backend: string;
  readonly backend_path: readonly string[];
  /** The build environment's interpreter name and site-packages. */
  readonly python: string;
  readonly sites: readonly string[];
  /** Where pyproject_hooks is installed. */
  readonly frontend_python: string;
  readonly frontend_sites: readonly string[];
  readonly hook: string;
  readonly config_settings: Readonly<Record<string, string | readonly string[]>>;
  readonly directory?: string;
  readonly metadata_directory?: string | null;
}

export class PythonFrontend {
  private readonly dir = `${BUILD_ROOT}/frontend`;

  constructor(
    private readonly fs: FileSystem,
    private readonly python: BuildPython,
  ) {}

  /** Calls `fn` of the frontend module with `request` (JSON-encoded) and decodes its answer. */
  call(fn: string, request: unknown, io: BuildIo = SILENT): unknown {
    this.fs.mkdirp(this.dir);
    const path = `${this.dir}/${FRONTEND_MODULE_NAME}`;
    this.fs.writeFile(path, encoder.encode(FRONTEND_MODULE));
    return JSON.parse(this.python.call(path, fn, JSON.stringify(request), io)) as unknown;
  }

  callHook(request: HookRequest, io: BuildIo): HookOutcome {
    return this.call('call_hook', request, io) as HookOutcome;
  }

  /** Removes a throwaway folder without following links (shutil.rmtree). */
  removeTree(path: string): void {
    this.call('remove_tree', { path });
  }

  /** Whether `path` is where it says (no link on the way): checked before writing into it. */
  isReal(path: string): boolean {
    const [real] = this.call('real_paths', { paths: [path] }) as string[];
    return real === path;
  }

  /** A digest of a source folder's files, or null when it is too big to hash (see tree_digest). */
  treeDigest(path: string, limits: { maxFiles: number; maxBytes: number }): string | null {
    const answer = this.call('tree_digest', { path, max_files: limits.maxFiles, max_bytes: limits.maxBytes }) as { digest: string | null };
    return answer.digest;
  }
}
