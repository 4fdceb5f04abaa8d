/**
 * A CacheStore in a folder, for Node (the CLI, benchmarks, tests). Node-only: import it from
 * `src/index/node.ts`, never from the browser path.
 *
 * Layout: each key segment (split on `/`) becomes a folder, percent-encoded so any key is a
 * safe path; the value file ends in `.bin` so that `a` and `a/b` can both exist.
 * Writes go to a temporary file in the same folder and are renamed into place, which is atomic
 * on POSIX and Windows file systems: a reader, or a second process, never sees half a file.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CacheStore } from './cache-store';
import { quotaExceededError } from './cache-store';

const SUFFIX = '.bin';

export class FsStore implements CacheStore {
  constructor(readonly root: string) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const buffer = await readFile(this.pathOf(key));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(tmp, value);
      await rename(tmp, path);
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => {});
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw quotaExceededError(`cache folder ${this.root} is full (${String(code)})`);
      throw error;
    }
  }

  async del(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async keys(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string[]): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const entry of entries) {
        if (entry.isDirectory()) {
          await walk(join(dir, entry.name), [...prefix, decodeSegment(entry.name)]);
        } else if (entry.name.endsWith(SUFFIX)) {
          out.push([...prefix, decodeSegment(entry.name.slice(0, -SUFFIX.length))].join('/'));
        }
      }
    };
    await walk(this.root, []);
    return out;
  }

  private pathOf(key: string): string {
    const segments = key.split('/').map(encodeSegment);
    const last = segments.pop() ?? encodeSegment('');
    // One joined argument: a URL with 150 000 slashes would overflow the stack as arguments.
    return join(this.root, [...segments, last + SUFFIX].join('/'));
  }
}

/** Percent-encode a key segment; `.`, `..` and the empty segment get escaped too. */
function encodeSegment(segment: string): string {
  if (segment === '') return '%';
  if (segment === '.' || segment === '..') return segment.replaceAll('.', '%2E');
  return encodeURIComponent(segment).replaceAll('*', '%2A');
}

function decodeSegment(name: string): string {
  if (name === '%') return '';
  return decodeURIComponent(name);
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
