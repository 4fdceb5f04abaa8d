/**
 * The hardening catalogue's one assertion: a bad input ends in a clear message, and the
 * environment is byte for byte what it was. "The environment" is `pip freeze --all` plus a
 * listing of the whole filesystem — every file's sha256, every folder, every symbolic link's
 * target, `/` less `/proc`, `/dev` and the stdlib zip (test/fixtures/fs-snapshot.ts) — taken
 * before the input is fed in and after: a wheel or a link that reached the home folder, /tmp
 * or pip's configuration is caught as surely as one that changed site-packages.
 *
 * Each catalogue file is a table of {@link CatalogueItem}s run through
 * {@link expectClearAndUnchanged}; test/README.md lists them (input, expected message, what was
 * checked unchanged).
 */
import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import { WHOLE_FS_SCOPE } from '../../fixtures/fs-snapshot';
import type { PipHarness } from '../../fixtures/pip-harness';
import type { RuntimeHarness } from '../../fixtures/runtime-harness';

export interface Snapshot {
  readonly freeze: string;
  /** `path sha256` for files, `path/` for directories, sorted. */
  readonly tree: readonly string[];
}

/** Anything the catalogue can run against: it can say what its environment is now. */
export interface Subject {
  snapshot(): Promise<Snapshot>;
  /** What the snapshot covers, in words (test/README.md's third column). */
  readonly scope?: string;
}

const PIP_SCOPE = `pip freeze; ${WHOLE_FS_SCOPE}`;

export interface Outcome {
  readonly code: number;
  /** stdout and stderr, as a person reads them in the terminal. */
  readonly output: string;
}

export interface CatalogueItem<S> {
  /** What was fed in (the table's first column). */
  readonly input: string;
  /** Before the first snapshot is taken: what the item needs to exist already. */
  readonly prepare?: (subject: S) => void | Promise<void>;
  /** After the first snapshot: put the hostile input in place (a pip.conf, a fault). */
  readonly setup?: (subject: S) => void | Promise<void>;
  readonly run: (subject: S) => Promise<Outcome>;
  /** Before the second snapshot: take the hostile input away again. */
  readonly cleanup?: (subject: S) => void | Promise<void>;
  /** After the second snapshot: undo what `prepare` put in place for this item only. */
  readonly teardown?: (subject: S) => void | Promise<void>;
  /** Found in the output (the table's second column). */
  readonly expectedMessage: string | RegExp;
  /** The exit status; default: any failure (not 0). */
  readonly exitCode?: number;
  /**
   * For inputs that must not stop the command (a full cache): the `pip freeze` it must
   * end with. Without it the environment must be unchanged.
   */
  readonly freezeAfter?: string;
  /**
   * For inputs a command must carry out while refusing part of them (an uninstall that keeps the
   * files its RECORD claims outside the environment): the folders that may change. Every other
   * path of the filesystem must be as it was; `freezeAfter` says how pip freeze ends.
   */
  readonly mayChange?: readonly string[];
}

/** Signs of a crash rather than a message: a stack, a Python traceback, a JS error name. */
const CRASH = /Exception:\n|Traceback \(most recent call last\)|\n\s+at .+:\d+:\d+\)?\n|RangeError|TypeError|ReferenceError|undefined is not/;

/**
 * Snapshot, feed the item in, snapshot again: the message is there, nothing crashed, and the
 * environment is unchanged (or, with `freezeAfter`, changed to exactly that).
 */
export async function expectClearAndUnchanged<S extends Subject>(subject: S, item: CatalogueItem<S>): Promise<Outcome> {
  await item.prepare?.(subject);
  const before = await subject.snapshot();
  await item.setup?.(subject);
  let outcome: Outcome;
  try {
    outcome = await item.run(subject);
  } finally {
    await item.cleanup?.(subject);
  }
  const after = await subject.snapshot();
  await item.teardown?.(subject);
  const context = `${item.input}\n--- output ---\n${outcome.output}`;
  if (typeof item.expectedMessage === 'string') expect(outcome.output, context).toContain(item.expectedMessage);
  else expect(outcome.output, context).toMatch(item.expectedMessage);
  expect(outcome.output, context).not.toMatch(CRASH);
  if (item.exitCode !== undefined) expect(outcome.code, context).toBe(item.exitCode);
  else if (item.freezeAfter === undefined) expect(outcome.code, context).not.toBe(0);
  if (item.freezeAfter !== undefined) {
    expect(after.freeze, context).toBe(item.freezeAfter);
    if (item.mayChange) {
      const outside = (tree: readonly string[]): string[] => tree.filter((line) => !item.mayChange!.some((dir) => line === `${dir}/` || line.startsWith(`${dir}/`) || line.startsWith(`${dir} `)));
      expect(outside(after.tree), context).toEqual(outside(before.tree));
    }
  } else {
    expect(after.freeze, context).toBe(before.freeze);
    expect(after.tree, context).toEqual(before.tree);
  }
  record(subject, item);
  return outcome;
}

/**
 * `HARDENING_TABLE=FILE npx vitest run ... test/integration/hardening` appends one JSON line per
 * item that passed (input, expected message, what was checked): the source of test/README.md's
 * table.
 */
function record(subject: Subject, item: Pick<CatalogueItem<unknown>, 'input' | 'expectedMessage' | 'freezeAfter' | 'mayChange'>): void {
  const file = process.env['HARDENING_TABLE'];
  if (!file) return;
  const scope = subject.scope ?? PIP_SCOPE;
  const count = (freeze: string): string => {
    const n = freeze.trim() === '' ? 0 : freeze.trim().split('\n').length;
    return `${n} package${n === 1 ? '' : 's'}`;
  };
  const checked =
    item.freezeAfter === undefined
      ? `unchanged: ${scope}`
      : item.mayChange
        ? `done, refusing the rest: pip freeze is exactly the ${count(item.freezeAfter)} left; every file outside ${item.mayChange.map((d) => d.slice(d.lastIndexOf('/') + 1)).join(', ')} unchanged`
        : `installs anyway: pip freeze is exactly the ${count(item.freezeAfter)} asked for`;
  const expected = typeof item.expectedMessage === 'string' ? item.expectedMessage : `/${item.expectedMessage.source}/`;
  appendFileSync(file, `${JSON.stringify({ test: expect.getState().testPath, input: item.input, expected, checked })}\n`);
}

/**
 * A runtime session as a Subject: `pip freeze` of the active environment and the whole
 * filesystem (its site-packages and bin/, the home folder a share link may write, everything).
 */
export function runtimeSubject(h: RuntimeHarness, _options: { home?: boolean } = {}): RuntimeHarness & Subject {
  return Object.assign(h, {
    scope: `pip freeze; ${WHOLE_FS_SCOPE}`,
    async snapshot(): Promise<Snapshot> {
      return { freeze: await h.freeze(), tree: h.tree() };
    },
  });
}

/**
 * The pip harness as a Subject: `pip freeze --all` and the whole filesystem (the harness's own
 * `snapshot()` looks at site-packages, bin/ and the shared libraries only).
 */
export function pipSubject(h: PipHarness): PipHarness & Subject {
  return Object.assign(h, {
    scope: PIP_SCOPE,
    async snapshot(): Promise<Snapshot> {
      return { freeze: (await h.pip('freeze', '--all')).stdout, tree: h.tree(['/']) };
    },
  });
}

/** A pip run as an Outcome. */
export function outcome(r: { code: number; stdout: string; stderr: string }): Outcome {
  return { code: r.code, output: r.stdout + r.stderr };
}
