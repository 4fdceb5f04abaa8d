// What the benchmarks share: command-line numbers, deterministic payloads, and the synthetic
// dependency trees they serve from the local index.
import type { WheelSpec } from '../test/fixtures/wheel-builder';

/** `--name N` on the command line, else `fallback`. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Deterministic incompressible text, so wheel sizes are about their payload's. */
export function noise(seed: number, length: number): string {
  let x = seed;
  let out = '';
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += x.toString(36);
  }
  return out.slice(0, length);
}

export const projectName = (i: number): string => `p${String(i).padStart(2, '0')}`;

export interface TreeOptions {
  readonly projects: number;
  readonly versions?: readonly string[];
  /** p_i also depends on p_{i+extraEdge}, for variety beyond the binary tree. */
  readonly extraEdge: number;
  /** Payload bytes of p_i: min + (i * 7919) % span. */
  readonly payload: readonly [min: number, span: number];
  readonly summary?: boolean;
}

/**
 * p_i depends on p_{2i+1} and p_{2i+2} (a binary tree: every project is reached from p00) and
 * on p_{i+extraEdge}; each version of each project carries its own payload.
 */
export function syntheticTree(options: TreeOptions): WheelSpec[] {
  const specs: WheelSpec[] = [];
  const [min, span] = options.payload;
  for (let i = 0; i < options.projects; i++) {
    const deps = [...new Set([2 * i + 1, 2 * i + 2, i + options.extraEdge])].filter((j) => j < options.projects);
    for (const [v, version] of (options.versions ?? ['1.0']).entries()) {
      specs.push({
        name: projectName(i),
        version,
        requires: deps.map((j) => `${projectName(j)}>=1.0`),
        ...(options.summary ? { summary: `Synthetic project ${i}` } : {}),
        files: { [`${projectName(i)}/__init__.py`]: `DATA = "${noise(i * 10 + v + 1, min + ((i * 7919) % span))}"\n` },
      });
    }
  }
  return specs;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
