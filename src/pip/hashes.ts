/**
 * Hash-checking mode (pip's "Secure installs"): `--hash` options on requirement lines and
 * `--require-hashes`, with pip's error text (`exceptions.py` HashErrors, HashMissing,
 * HashUnpinned, HashMismatch), grouped and ordered as pip prints them.
 */

export const HASH_ALGORITHMS = ['sha256', 'sha384', 'sha512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export function isHashAlgorithm(name: string): name is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(name);
}

/** Lower-case hex digest: pep's one digest helper. */
export { digestHex } from '../pep';

/** Allowed digests by algorithm, from `--hash=sha256:...` values. */
export type AllowedHashes = ReadonlyMap<HashAlgorithm, readonly string[]>;

export function parseHashOptions(values: readonly string[]): Map<HashAlgorithm, string[]> {
  const out = new Map<HashAlgorithm, string[]>();
  for (const v of values) {
    const colon = v.indexOf(':');
    const algorithm = v.slice(0, colon);
    if (colon < 0 || !isHashAlgorithm(algorithm)) continue; // rejected earlier by the file parser
    const list = out.get(algorithm) ?? [];
    list.push(v.slice(colon + 1).toLowerCase());
    out.set(algorithm, list);
  }
  return out;
}

/** pip's `Hashes.__and__`: an empty side allows everything; else only digests in both. */
export function intersectHashes(a: AllowedHashes, b: AllowedHashes): Map<HashAlgorithm, string[]> {
  if (b.size === 0) return new Map([...a].map(([k, v]) => [k, [...v]]));
  if (a.size === 0) return new Map([...b].map(([k, v]) => [k, [...v]]));
  const out = new Map<HashAlgorithm, string[]>();
  for (const [algorithm, values] of b) {
    const mine = a.get(algorithm);
    if (!mine) continue;
    out.set(algorithm, values.filter((v) => mine.includes(v)));
  }
  return out;
}

export type HashProblem =
  /** No hash given for something installed in hash-checking mode (body: `    req --hash=sha256:<got>`). */
  | { readonly kind: 'missing'; readonly subject: string; readonly sha256: string }
  /** Not pinned with `==` in hash-checking mode (body: the requirement). */
  | { readonly kind: 'unpinned'; readonly subject: string }
  /** Downloaded bytes do not match the given hashes. */
  | {
      readonly kind: 'mismatch';
      readonly subject: string;
      readonly allowed: AllowedHashes;
      readonly got: ReadonlyMap<HashAlgorithm, string>;
    };

const ORDER = { missing: 2, unpinned: 3, mismatch: 4 } as const;

const HEADS = {
  missing:
    'Hashes are required in --require-hashes mode, but they are missing from some requirements. ' +
    'Here is a list of those requirements along with the hashes their downloaded archives actually ' +
    'had. Add lines like these to your requirements files to prevent tampering. (If you did not ' +
    'enable --require-hashes manually, note that it turns on automatically when any package has a hash.)',
  unpinned: 'In --require-hashes mode, all requirements must have their versions pinned with ==. These do not:',
  mismatch:
    'THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the ' +
    'package versions, please update the hashes. Otherwise, examine the package contents carefully; ' +
    'someone may have tampered with them.',
} as const;

/** The text of pip's HashErrors: each kind's head, then its bodies, kinds in pip's order. */
export function formatHashErrors(problems: readonly HashProblem[]): string {
  const sorted = [...problems].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const lines: string[] = [];
  let last: HashProblem['kind'] | null = null;
  for (const p of sorted) {
    if (p.kind !== last) {
      lines.push(HEADS[p.kind]);
      last = p.kind;
    }
    lines.push(body(p));
  }
  return lines.join('\n');
}

function body(p: HashProblem): string {
  switch (p.kind) {
    case 'missing':
      return `    ${p.subject} --hash=sha256:${p.sha256}`;
    case 'unpinned':
      return `    ${p.subject}`;
    case 'mismatch': {
      const lines: string[] = [];
      for (const [algorithm, expected] of p.allowed) {
        // pip: chain([hash_name], repeat("    or")); the decent hashes all have 6-letter names.
        expected.forEach((e, i) => lines.push(`        Expected ${i === 0 ? algorithm : '    or'} ${e}`));
        lines.push(`             Got        ${p.got.get(algorithm) ?? ''}\n`);
      }
      return `    ${p.subject}:\n${lines.join('\n')}`;
    }
  }
}
