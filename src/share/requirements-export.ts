/**
 * An environment lock as a pip requirements file with `--hash` lines (pip's hash-checking
 * mode), out only: a requirements file is imported by running `pip install -r` on it, which
 * resolves it.
 */
import { normalizeName } from '../pep';
import { PYPI_INDEX, type EnvironmentLock, type LockedBuild } from './environment-lock';
import { checkedForExport } from './export';
import { sameIndex } from './trust';

/**
 * Whether `index` is only the origin of a direct reference's URL (`https://host` for
 * `mylib @ https://host/dl/mylib-0.1-py3-none-any.whl`) that no distribution is listed under:
 * an older Pipette recorded the origin of a direct URL as its index. pip would search it as an
 * index for every package; a direct URL is installed from itself, so it is not written.
 */
function isDirectOrigin(lock: EnvironmentLock, index: string): boolean {
  let u: URL;
  try {
    u = new URL(index);
  } catch {
    return false;
  }
  if (u.pathname !== '/' || u.search !== '') return false;
  const listed = lock.distributions.some((d) => d.index !== null && sameIndex(d.index, index));
  const direct = lock.distributions.some((d) => {
    try {
      return d.index === null && d.url !== null && new URL(d.url).origin === u.origin;
    } catch {
      return false;
    }
  });
  return direct && !listed;
}

/** pip's line for a package built from source (`name @ URL`, `name @ git+URL@commit`, `-e .`). */
function builtLine(b: LockedBuild): string {
  switch (b.kind) {
    case 'sdist':
      return b.url !== null ? `${b.name} @ ${b.url}` : `${b.name}==${b.version}`;
    case 'git':
      return `${b.name} @ git+${b.repository}@${b.commit}${b.subdirectory ? `#subdirectory=${b.subdirectory}` : ''}`;
    case 'directory': {
      const path = b.path === '' ? '.' : `./${b.path}`;
      return b.editable ? `-e ${path}` : path;
    }
  }
}

/**
 * The lock as a pip requirements file: index options first (`--index-url` when the first
 * index is not PyPI, `--extra-index-url` for the others), then one pinned line per
 * distribution sorted by normalized name; with `hashes`, pip's hash-checking form
 * (`name==version \` then `    --hash=sha256:...`), which makes pip refuse any other file.
 * A distribution without an index was installed from a URL and is written `name @ url`.
 * Packages built from source follow pip's forms: an sdist by its sha256 like a wheel, a git
 * checkout as `name @ git+URL@commit`, a folder as `-e .`. pip's hash-checking mode refuses
 * the last two ("Can't verify hashes for these requirements"), so with `hashes` they are
 * written as comments that say how to install them: named, never silently dropped.
 * Throws LockExportError when the lock holds credentials or is not valid.
 */
export function lockToRequirements(lock: EnvironmentLock, options: { readonly hashes: boolean }): string {
  const l = checkedForExport(lock);
  const lines: string[] = [];
  l.indexes.forEach((index, i) => {
    if (i === 0 && sameIndex(index, PYPI_INDEX)) return;
    if (i > 0 && isDirectOrigin(l, index)) return;
    lines.push(`${i === 0 ? '--index-url' : '--extra-index-url'} ${index}`);
  });
  const entries: { name: string; text: string }[] = l.distributions.map((d) => {
    const pin = d.index === null && d.url !== null ? `${d.name} @ ${d.url}` : `${d.name}==${d.version}`;
    return { name: d.name, text: options.hashes ? `${pin} \\\n    --hash=sha256:${d.sha256}` : pin };
  });
  for (const b of l.builds ?? []) {
    const line = builtLine(b);
    let text = line;
    if (options.hashes && b.kind === 'sdist') text = `${line} \\\n    --hash=sha256:${b.sha256}`;
    else if (options.hashes) {
      const what = b.kind === 'git' ? 'a git checkout' : 'a folder';
      const install = b.kind === 'directory' ? line : `"${line}"`;
      text = `# ${b.name} ${b.version} is built from ${what}, which pip's hash-checking mode cannot check;\n# install it on its own: pip install ${install}`;
    }
    entries.push({ name: b.name, text });
  }
  entries.sort((a, b) => {
    const [x, y] = [normalizeName(a.name), normalizeName(b.name)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const e of entries) lines.push(e.text);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
