/**
 * What every pip command is: a name, pip's usage and description, its option groups, and a
 * `run` that returns pip's exit status (`cli/status_codes.py`).
 */
import { redactUrl } from '../pep';
import type { PipContext, SourceOptions } from './context';
import type { PipLogger } from './logger';
import type { OptionGroup, OptionValues } from './options';
import { PipError, PipErrorCode } from './pip-error';

/** pip's exit statuses. */
export const ExitStatus = {
  Success: 0,
  Error: 1,
  /** Usage errors (optparse) and unexpected exceptions. */
  UnknownError: 2,
  VirtualenvNotFound: 3,
  PreviousBuildDirError: 4,
  NoMatchesFound: 23,
} as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

export interface CommandRun {
  readonly ctx: PipContext;
  readonly options: OptionValues;
  readonly args: readonly string[];
  readonly log: PipLogger;
  /** The command's `pip <name>`, for messages (`see "pip help install"`). */
  readonly name: string;
}

export interface PipCommand {
  readonly name: string;
  /** One line, as `pip help` lists it. */
  readonly summary: string;
  /** Usage lines with `%prog` for `pip <name>`. */
  readonly usage: string;
  readonly description: string;
  readonly groups: readonly OptionGroup[];
  run(run: CommandRun): Promise<number>;
}

/** Index options (`-i`, `--extra-index-url`, `--no-index`) and general ones, for `ctx.source()`. */
export function sourceOptionsFrom(
  run: Pick<CommandRun, 'options'>,
  overrides: { indexUrl?: string | null; extraIndexUrls?: readonly string[]; noIndex?: boolean } = {},
): SourceOptions {
  const o = run.options;
  const indexUrl = overrides.indexUrl ?? o.string('indexUrl');
  const extra = [...o.list('extraIndexUrls'), ...(overrides.extraIndexUrls ?? [])];
  const timeout = o.number('timeout');
  const retries = o.number('retries');
  const pyodidePackages = o.string('pyodidePackages');
  if (pyodidePackages !== null && pyodidePackages.trim().toLowerCase() !== 'none') {
    if (!/^https?:\/\//i.test(pyodidePackages.trim())) {
      throw new PipError(
        PipErrorCode.Unsupported,
        `Cannot use --pyodide-packages ${pyodidePackages}: give the http(s) URL of a folder holding an unpacked Pyodide distribution (pyodide-lock.json beside its wheels), or none.`,
      );
    }
    const login = withoutPassword(pyodidePackages.trim());
    if (login !== null) {
      throw new PipError(PipErrorCode.Unsupported, `Cannot use --pyodide-packages ${login}: its URL holds a user name, password or token, and a browser sends no credentials written in a URL.`);
    }
  }
  for (const url of [indexUrl, ...extra]) {
    if (url !== null && !/^https?:\/\//i.test(url)) {
      throw new PipError(
        PipErrorCode.Unsupported,
        `Cannot use the index ${url}: Pipette reaches indexes over http(s) only (a local directory laid out as an index is not supported; use --find-links DIR for a directory of wheels).`,
      );
    }
    const login = url === null ? null : withoutPassword(url);
    if (login !== null) {
      throw new PipError(
        PipErrorCode.Unsupported,
        `Cannot use the index ${login}: its URL holds a user name, password or token, and a browser sends no credentials written in a URL (fetch refuses it). ` +
          'Use an index that needs no login, or a URL without them; and keep secrets out of files you share.',
      );
    }
  }
  return {
    ...(indexUrl !== null ? { indexUrls: [indexUrl] } : {}),
    ...(extra.length > 0 ? { extraIndexUrls: extra } : {}),
    ...(o.flag('noIndex') || overrides.noIndex ? { noIndex: true } : {}),
    ...(o.flag('noCacheDir') ? { noCache: true } : {}),
    ...(timeout !== null ? { timeoutMs: timeout * 1000 } : {}),
    ...(retries !== null ? { retries } : {}),
    ...(pyodidePackages !== null ? { pyodidePackages: pyodidePackages.trim() } : {}),
  };
}

/**
 * `url` as messages show it (pep's redactUrl: pip's `redact_auth_from_url`) when it holds
 * credentials; null when it holds none.
 * Ex) `https://user:secret@host/simple/` -> `https://user:****@host/simple/`
 */
function withoutPassword(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  return u.username === '' && u.password === '' ? null : redactUrl(url);
}
