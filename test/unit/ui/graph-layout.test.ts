import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { countCrossings, layoutGraph, type GraphLayout, type LayoutInput } from '../../../src/ui/panels/graph/layout';
import { isotonicWithGaps } from '../../../src/ui/panels/graph/layout';

const node = (id: string, width = 80) => ({ id, width, height: 40 });

/** No two nodes' boxes intersect (in the same column they are also nodeGap apart). */
function expectNoOverlaps(layout: GraphLayout, gap = 16): void {
  const nodes = layout.nodes;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i]!;
      const b = nodes[j]!;
      const apartX = a.x + a.width <= b.x || b.x + b.width <= a.x;
      const apartY = a.y + a.height + gap - 1e-6 <= b.y || b.y + b.height + gap - 1e-6 <= a.y;
      expect(apartX || apartY, `${a.id} overlaps ${b.id}`).toBe(true);
    }
  }
}

/** Every edge goes from a lower layer to a higher one, or the other way when marked reversed. */
function expectLayered(layout: GraphLayout): void {
  const layer = new Map(layout.nodes.map((n) => [n.id, n.layer]));
  for (const e of layout.edges) {
    const [from, to] = [layer.get(e.from)!, layer.get(e.to)!];
    if (e.reversed) expect(to).toBeLessThan(from);
    else expect(from).toBeLessThan(to);
  }
}

const requestsLike: LayoutInput = {
  nodes: ['requests', 'urllib3', 'idna', 'certifi', 'charset-normalizer', 'rich', 'markdown-it-py', 'mdurl', 'pygments'].map((id) => node(id, id.length * 8 + 24)),
  edges: [
    { from: 'requests', to: 'urllib3' },
    { from: 'requests', to: 'idna' },
    { from: 'requests', to: 'certifi' },
    { from: 'requests', to: 'charset-normalizer' },
    { from: 'rich', to: 'markdown-it-py' },
    { from: 'rich', to: 'pygments' },
    { from: 'markdown-it-py', to: 'mdurl' },
  ],
  roots: ['requests', 'rich'],
};

describe('layoutGraph', () => {
  test('layers are longest paths from the roots', () => {
    const layout = layoutGraph(requestsLike);
    const layer = Object.fromEntries(layout.nodes.map((n) => [n.id, n.layer]));
    expect(layer).toEqual({ requests: 0, rich: 0, urllib3: 1, idna: 1, certifi: 1, 'charset-normalizer': 1, 'markdown-it-py': 1, pygments: 1, mdurl: 2 });
    expect(layout.layers).toBe(3);
    expect(layout.crossings).toBe(0);
    expectNoOverlaps(layout);
  });

  test('the same graph in any input order gets the same drawing', () => {
    const a = layoutGraph(requestsLike);
    const b = layoutGraph({ nodes: [...requestsLike.nodes].reverse(), edges: [...requestsLike.edges].reverse(), roots: [...requestsLike.roots!].reverse() });
    expect(b).toEqual(a);
    expect(layoutGraph(requestsLike)).toEqual(a);
  });

  test('a cycle is broken by reversing one edge, and everything is still placed', () => {
    const layout = layoutGraph({ nodes: ['a', 'b', 'c', 'd'].map((id) => node(id)), edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'c', to: 'd' }], roots: ['a'] });
    expect(layout.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(layout.edges.filter((e) => e.reversed).map((e) => `${e.from}->${e.to}`)).toEqual(['c->a']);
    expect(Object.fromEntries(layout.nodes.map((n) => [n.id, n.layer]))).toEqual({ a: 0, b: 1, c: 2, d: 3 });
    expectLayered(layout);
    expectNoOverlaps(layout);
    // The reversed edge still ends at its target: c's left side to a's right side.
    const back = layout.edges.find((e) => e.reversed)!;
    const a = layout.nodes.find((n) => n.id === 'a')!;
    expect(back.points[back.points.length - 1]).toEqual({ x: a.x + a.width, y: a.y + a.height / 2 });
  });

  test('a two-node cycle with no root (packages requiring each other): both edges visible', () => {
    const layout = layoutGraph({ nodes: [node('x'), node('y')], edges: [{ from: 'x', to: 'y' }, { from: 'y', to: 'x' }] });
    expect(layout.edges.filter((e) => e.reversed)).toHaveLength(1);
    expectLayered(layout);
    const [forward, back] = [layout.edges.find((e) => !e.reversed)!, layout.edges.find((e) => e.reversed)!];
    // The closing edge runs the other way, a little below, still ending on the nodes' sides.
    expect(back.points.map((p) => p.y)).toEqual([...forward.points].reverse().map((p) => p.y + 6));
    expect(back.points.map((p) => p.x)).toEqual([...forward.points].reverse().map((p) => p.x));
  });

  test('a long edge is routed through one point pair per layer it crosses', () => {
    const layout = layoutGraph({ nodes: ['a', 'b', 'c', 'd'].map((id) => node(id)), edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'd' }, { from: 'a', to: 'd' }], roots: ['a'] });
    const long = layout.edges.find((e) => e.from === 'a' && e.to === 'd')!;
    expect(long.points).toHaveLength(2 + 2 * 2);
    // It passes layers 1 and 2 beside b and c, not through them.
    for (const id of ['b', 'c']) {
      const n = layout.nodes.find((x) => x.id === id)!;
      const inColumn = long.points.filter((p) => p.x >= n.x && p.x <= n.x + n.width);
      for (const p of inColumn) expect(p.y < n.y || p.y > n.y + n.height).toBe(true);
    }
  });

  test('barycenter ordering removes crossings that id order has', () => {
    // By id, layer 1 is [p, q] but a (top) needs q and b (bottom) needs p: one crossing.
    const input: LayoutInput = { nodes: ['a', 'b', 'p', 'q'].map((id) => node(id)), edges: [{ from: 'a', to: 'q' }, { from: 'b', to: 'p' }], roots: ['a', 'b'] };
    const layout = layoutGraph(input);
    expect(layout.crossings).toBe(0);
    const order = Object.fromEntries(layout.nodes.map((n) => [n.id, n.order]));
    expect(order['a']! < order['b']!).toBe(order['q']! < order['p']!);
    expect(layoutGraph(input, { sweeps: 0 }).crossings).toBe(1);
  });

  test('nodes are pulled level with their neighbours', () => {
    const layout = layoutGraph({ nodes: [node('a'), node('b')], edges: [{ from: 'a', to: 'b' }] });
    const [a, b] = ['a', 'b'].map((id) => layout.nodes.find((n) => n.id === id)!);
    expect(a!.y).toBe(b!.y);
    expect(b!.x).toBe(a!.x + a!.width + 64);
  });

  test('edges to unknown nodes, duplicates and self-loops are ignored; an empty graph is empty', () => {
    const layout = layoutGraph({ nodes: [node('a'), node('a'), node('b')], edges: [{ from: 'a', to: 'b' }, { from: 'a', to: 'b' }, { from: 'a', to: 'a' }, { from: 'a', to: 'zzz' }] });
    expect(layout.nodes).toHaveLength(2);
    expect(layout.edges).toHaveLength(1);
    expect(layoutGraph({ nodes: [], edges: [] })).toEqual({ nodes: [], edges: [], width: 0, height: 0, crossings: 0, layers: 0 });
  });

  test('random graphs: no overlaps, edges follow the layers, input order does not matter', () => {
    const graph = fc
      .integer({ min: 1, max: 14 })
      .chain((n) =>
        fc.record({
          widths: fc.array(fc.integer({ min: 30, max: 200 }), { minLength: n, maxLength: n }),
          edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 2 }),
          roots: fc.array(fc.nat(n - 1), { maxLength: 3 }),
        }),
      );
    fc.assert(
      fc.property(graph, ({ widths, edges, roots }) => {
        const input: LayoutInput = {
          nodes: widths.map((w, i) => node(`n${i}`, w)),
          edges: edges.map(([a, b]) => ({ from: `n${a}`, to: `n${b}` })),
          roots: roots.map((r) => `n${r}`),
        };
        const layout = layoutGraph(input);
        expect(layout.nodes).toHaveLength(widths.length);
        expectNoOverlaps(layout);
        expectLayered(layout);
        for (const n of layout.nodes) {
          expect(n.x).toBeGreaterThanOrEqual(0);
          expect(n.y).toBeGreaterThanOrEqual(-1e-9);
          expect(n.y + n.height).toBeLessThanOrEqual(layout.height + 1e-9);
        }
        const shuffled = { nodes: [...input.nodes].reverse(), edges: [...input.edges].reverse(), roots: input.roots };
        expect(layoutGraph(shuffled)).toEqual(layout);
      }),
      { numRuns: 150 },
    );
  });
});

test('countCrossings counts pairs of edges that swap sides', () => {
  const down = (v: number): number[] => ({ 0: [3], 1: [2] } as Record<number, number[]>)[v] ?? [];
  expect(countCrossings([0, 1], [2, 3], down)).toBe(1);
  expect(countCrossings([0, 1], [3, 2], down)).toBe(0);
});

test('isotonicWithGaps keeps the gaps and stays as close as it can', () => {
  expect(isotonicWithGaps([0, 0], [0, 10])).toEqual([-5, 5]);
  expect(isotonicWithGaps([0, 100], [0, 10])).toEqual([0, 100]);
  expect(isotonicWithGaps([5, 0, 0], [0, 10, 10])).toEqual([-25 / 3, -25 / 3 + 10, -25 / 3 + 20]);
});
