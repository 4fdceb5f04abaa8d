/**
 * A deterministic layered drawing of a directed graph (Sugiyama's scheme), left to right:
 *
 * 1. Cycles are broken by reversing DFS back edges, visiting the roots first, then every other
 *    node, each in id order (a dependency cycle `a -> b -> a` is legal in Python packaging).
 * 2. Layers are longest paths from the sources, so a node sits one column right of its deepest
 *    dependent: requested roots on the left, shared low-level packages on the right.
 * 3. Edges spanning several layers get one dummy node per layer crossed, so they are routed
 *    around nodes and take part in ordering.
 * 4. Order within a layer: barycenter sweeps down and up, keeping the ordering with the fewest
 *    crossings (Sugiyama, Tagawa & Toda 1981; Graphviz dot's `mincross` does the same with medians).
 * 5. Positions: columns by layer; within a column, each node as close as it can get to the mean
 *    of its neighbours while keeping the order and the gaps: an isotonic regression solved
 *    exactly by pool-adjacent-violators, so nothing overlaps by construction.
 *
 * Every step breaks ties by id or by position, never by input order or a hash, so the same
 * graph always gets the same picture.
 */

export interface LayoutNodeInput {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

export interface LayoutEdgeInput {
  readonly from: string;
  readonly to: string;
}

export interface LayoutInput {
  readonly nodes: readonly LayoutNodeInput[];
  readonly edges: readonly LayoutEdgeInput[];
  /** Where the DFS that breaks cycles starts (the requested distributions). */
  readonly roots?: readonly string[];
}

export interface LayoutOptions {
  /** Horizontal space between columns. */
  readonly layerGap?: number;
  /** Vertical space between nodes in a column. */
  readonly nodeGap?: number;
  /** Down-and-up barycenter sweeps. */
  readonly sweeps?: number;
}

export interface PlacedNode {
  readonly id: string;
  readonly layer: number;
  /** Position within the layer, 0 at the top (dummies counted). */
  readonly order: number;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface RoutedEdge {
  readonly from: string;
  readonly to: string;
  /** Drawn against the flow because it closes a cycle. */
  readonly reversed: boolean;
  /** From the middle of `from`'s side to the middle of `to`'s side, through the dummies. */
  readonly points: readonly Point[];
}

export interface GraphLayout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly RoutedEdge[];
  readonly width: number;
  readonly height: number;
  /** Edge crossings between adjacent layers in the chosen order. */
  readonly crossings: number;
  readonly layers: number;
}

interface Vertex {
  readonly id: string;
  readonly real: boolean;
  readonly width: number;
  readonly height: number;
  layer: number;
  /** Neighbours in the previous and the next layer (indices into the vertex list). */
  readonly up: number[];
  readonly down: number[];
}

/** How far the closing edge of a two-package cycle is drawn below its partner. */
const TWIN_OFFSET = 6;

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function layoutGraph(input: LayoutInput, options: LayoutOptions = {}): GraphLayout {
  const layerGap = options.layerGap ?? 64;
  const nodeGap = options.nodeGap ?? 16;
  const sweeps = options.sweeps ?? 6;

  // Nodes by id (the first of duplicates wins), edges deduplicated, self-loops dropped.
  const byId = new Map<string, LayoutNodeInput>();
  for (const n of input.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const ids = [...byId.keys()].sort(compareStrings);
  const succ = new Map<string, string[]>(ids.map((id) => [id, []]));
  const edgeKeys = new Set<string>();
  const edges: LayoutEdgeInput[] = [];
  for (const e of input.edges) {
    if (e.from === e.to || !byId.has(e.from) || !byId.has(e.to)) continue;
    const key = JSON.stringify([e.from, e.to]);
    if (edgeKeys.has(key)) continue;
    edgeKeys.add(key);
    edges.push({ from: e.from, to: e.to });
  }
  edges.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  for (const e of edges) succ.get(e.from)!.push(e.to);

  const reversed = backEdges(ids, succ, input.roots ?? []);
  // The acyclic version: back edges turned around (a reversed edge that already exists the
  // other way is simply the same DAG edge).
  const dag = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
  for (const e of edges) {
    const back = reversed.has(JSON.stringify([e.from, e.to]));
    dag.get(back ? e.to : e.from)!.add(back ? e.from : e.to);
  }
  const layerOf = longestPathLayers(ids, dag);

  // Vertices: real nodes, then one dummy per layer crossed by a long edge.
  const vertices: Vertex[] = [];
  const index = new Map<string, number>();
  for (const id of ids) {
    const n = byId.get(id)!;
    index.set(id, vertices.length);
    vertices.push({ id, real: true, width: n.width, height: n.height, layer: layerOf.get(id)!, up: [], down: [] });
  }
  /** The vertex chain of each input edge, in the DAG's direction. */
  const chains = new Map<string, number[]>();
  for (const e of edges) {
    const key = JSON.stringify([e.from, e.to]);
    const back = reversed.has(key);
    const [a, b] = back ? [e.to, e.from] : [e.from, e.to];
    const chain = [index.get(a)!];
    for (let layer = layerOf.get(a)! + 1; layer < layerOf.get(b)!; layer++) {
      chain.push(vertices.length);
      vertices.push({ id: `${key}#${layer}`, real: false, width: 0, height: 0, layer, up: [], down: [] });
    }
    chain.push(index.get(b)!);
    for (let i = 1; i < chain.length; i++) {
      vertices[chain[i - 1]!]!.down.push(chain[i]!);
      vertices[chain[i]!]!.up.push(chain[i - 1]!);
    }
    chains.set(key, chain);
  }

  const layerCount = ids.length === 0 ? 0 : extremum(vertices.map((v) => v.layer), Math.max, -Infinity) + 1;
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  // Initial order: real nodes by id, then dummies in creation order (also id-determined).
  for (let i = 0; i < vertices.length; i++) layers[vertices[i]!.layer]!.push(i);
  const order = orderLayers(layers, vertices, sweeps);

  // Columns: each as wide as its widest node.
  const columnX: number[] = [];
  const columnWidth: number[] = [];
  let x = 0;
  for (const layer of order.layers) {
    const w = extremum(layer.map((i) => vertices[i]!.width), Math.max, 0);
    columnX.push(x);
    columnWidth.push(w);
    x += w + layerGap;
  }
  const centers = placeVertically(order.layers, vertices, nodeGap);

  const placed: PlacedNode[] = [];
  const position = new Map<number, number>();
  order.layers.forEach((layer) => layer.forEach((v, k) => position.set(v, k)));
  for (let i = 0; i < vertices.length; i++) {
    const v = vertices[i]!;
    if (!v.real) continue;
    placed.push({ id: v.id, layer: v.layer, order: position.get(i)!, x: columnX[v.layer]!, y: centers[i]! - v.height / 2, width: v.width, height: v.height });
  }

  const routed: RoutedEdge[] = edges.map((e) => {
    const key = JSON.stringify([e.from, e.to]);
    const chain = chains.get(key)!;
    const points: Point[] = [];
    const first = vertices[chain[0]!]!;
    points.push({ x: columnX[first.layer]! + first.width, y: centers[chain[0]!]! });
    for (const d of chain.slice(1, -1)) {
      // Straight through the dummy's column, so the edge never runs across a node there.
      const layer = vertices[d]!.layer;
      points.push({ x: columnX[layer]!, y: centers[d]! }, { x: columnX[layer]! + columnWidth[layer]!, y: centers[d]! });
    }
    const last = vertices[chain[chain.length - 1]!]!;
    points.push({ x: columnX[last.layer]!, y: centers[chain[chain.length - 1]!]! });
    const back = reversed.has(key);
    // A two-package cycle (a -> b -> a) would draw both edges on one line: move the closing
    // one a little down so each arrowhead can be seen.
    const twin = back && edgeKeys.has(JSON.stringify([e.to, e.from]));
    const drawn = twin ? points.map((p) => ({ x: p.x, y: p.y + TWIN_OFFSET })) : points;
    return { from: e.from, to: e.to, reversed: back, points: back ? drawn.reverse() : drawn };
  });

  const width = layerCount === 0 ? 0 : x - layerGap;
  const height = extremum(placed.map((n) => n.y + n.height), Math.max, 0);
  return { nodes: placed, edges: routed, width, height, crossings: order.crossings, layers: layerCount };
}

/**
 * The edges a DFS finds pointing back into its own stack: reversing them leaves a DAG. Roots
 * first, so the edges out of requested distributions keep their direction.
 */
function backEdges(ids: readonly string[], succ: ReadonlyMap<string, readonly string[]>, roots: readonly string[]): Set<string> {
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<string>();
  const starts = [...[...new Set(roots)].filter((r) => succ.has(r)).sort(compareStrings), ...ids];
  for (const start of starts) {
    if (state.has(start)) continue;
    // Iterative DFS: [node, next successor index].
    const stack: [string, number][] = [[start, 0]];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = succ.get(top[0])![top[1]++];
      if (next === undefined) {
        state.set(top[0], 'done');
        stack.pop();
      } else if (state.get(next) === 'open') {
        back.add(JSON.stringify([top[0], next]));
      } else if (!state.has(next)) {
        state.set(next, 'open');
        stack.push([next, 0]);
      }
    }
  }
  return back;
}

/** Layer = length of the longest path from a source (Kahn's order, ties by id). */
function longestPathLayers(ids: readonly string[], dag: ReadonlyMap<string, ReadonlySet<string>>): Map<string, number> {
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const targets of dag.values()) for (const t of targets) indegree.set(t, indegree.get(t)! + 1);
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const ready = ids.filter((id) => indegree.get(id) === 0);
  while (ready.length > 0) {
    const id = ready.shift()!;
    for (const t of [...dag.get(id)!].sort(compareStrings)) {
      layer.set(t, Math.max(layer.get(t)!, layer.get(id)! + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) ready.push(t);
    }
  }
  return layer;
}

/** Crossings between two adjacent layers: inversions among the edges sorted by upper position. */
export function countCrossings(upper: readonly number[], lower: readonly number[], down: (v: number) => readonly number[]): number {
  const pos = new Map<number, number>(lower.map((v, i) => [v, i]));
  const ends: [number, number][] = [];
  upper.forEach((v, i) => {
    for (const w of down(v)) if (pos.has(w)) ends.push([i, pos.get(w)!]);
  });
  let crossings = 0;
  for (let a = 0; a < ends.length; a++) {
    for (let b = a + 1; b < ends.length; b++) {
      const [ua, la] = ends[a]!;
      const [ub, lb] = ends[b]!;
      if ((ua - ub) * (la - lb) < 0) crossings++;
    }
  }
  return crossings;
}

function totalCrossings(layers: readonly (readonly number[])[], vertices: readonly Vertex[]): number {
  let total = 0;
  for (let i = 0; i + 1 < layers.length; i++) total += countCrossings(layers[i]!, layers[i + 1]!, (v) => vertices[v]!.down);
  return total;
}

/** Barycenter sweeps; the ordering with the fewest crossings seen after any half-sweep wins (the first on ties). */
function orderLayers(initial: readonly (readonly number[])[], vertices: readonly Vertex[], sweeps: number): { layers: number[][]; crossings: number } {
  const layers = initial.map((l) => [...l]);
  let best = { layers: layers.map((l) => [...l]), crossings: totalCrossings(layers, vertices) };
  const keepIfBetter = (): void => {
    const crossings = totalCrossings(layers, vertices);
    if (crossings < best.crossings) best = { layers: layers.map((l) => [...l]), crossings };
  };
  for (let s = 0; s < sweeps && best.crossings > 0; s++) {
    for (let i = 1; i < layers.length; i++) layers[i] = byBarycenter(layers[i]!, layers[i - 1]!, (v) => vertices[v]!.up);
    keepIfBetter();
    for (let i = layers.length - 2; i >= 0; i--) layers[i] = byBarycenter(layers[i]!, layers[i + 1]!, (v) => vertices[v]!.down);
    keepIfBetter();
  }
  return best;
}

/**
 * Sorts `layer` by the mean position of each vertex's neighbours in `fixed`. A vertex without
 * neighbours there keeps its slot, and the others are sorted into the remaining slots: giving it
 * a made-up barycenter would undo what the sweep from the other side arranged.
 */
function byBarycenter(layer: readonly number[], fixed: readonly number[], neighbours: (v: number) => readonly number[]): number[] {
  const pos = new Map<number, number>(fixed.map((v, i) => [v, i]));
  const movable: { v: number; bary: number; i: number }[] = [];
  layer.forEach((v, i) => {
    const ns = neighbours(v).filter((n) => pos.has(n));
    if (ns.length > 0) movable.push({ v, bary: ns.reduce((sum, n) => sum + pos.get(n)!, 0) / ns.length, i });
  });
  movable.sort((a, b) => a.bary - b.bary || a.i - b.i);
  const out = [...layer];
  const slots = movable.map((m) => m.i).sort((a, b) => a - b);
  slots.forEach((slot, k) => (out[slot] = movable[k]!.v));
  return out;
}

/**
 * Vertical centers: stacked first, then a few rounds pulling each layer towards its
 * neighbours' mean (down, then up), each solved exactly under the order and gap constraints.
 */
function placeVertically(layers: readonly (readonly number[])[], vertices: readonly Vertex[], gap: number): number[] {
  const center = new Array<number>(vertices.length).fill(0);
  // A dummy needs less room than a node: half a gap on each side of the line.
  const separation = (a: Vertex, b: Vertex): number => a.height / 2 + b.height / 2 + (a.real && b.real ? gap : gap / 2);
  // Stacked, each layer centred on the tallest one.
  const stack = (layer: readonly number[]): number[] => {
    const ys: number[] = [];
    layer.forEach((v, k) => ys.push(k === 0 ? vertices[v]!.height / 2 : ys[k - 1]! + separation(vertices[layer[k - 1]!]!, vertices[v]!)));
    return ys;
  };
  const extent = (layer: readonly number[], ys: readonly number[]): number => (layer.length === 0 ? 0 : ys[ys.length - 1]! + vertices[layer[layer.length - 1]!]!.height / 2);
  const stacks = layers.map((layer) => stack(layer));
  const tallest = extremum(layers.map((layer, i) => extent(layer, stacks[i]!)), Math.max, 0);
  layers.forEach((layer, i) => {
    const offset = (tallest - extent(layer, stacks[i]!)) / 2;
    layer.forEach((v, k) => (center[v] = stacks[i]![k]! + offset));
  });
  const pull = (layer: readonly number[], neighbours: (v: number) => readonly number[]): void => {
    const desired = layer.map((v) => {
      const ns = neighbours(v);
      return ns.length === 0 ? center[v]! : ns.reduce((s, n) => s + center[n]!, 0) / ns.length;
    });
    const seps = layer.map((v, k) => (k === 0 ? 0 : separation(vertices[layer[k - 1]!]!, vertices[v]!)));
    const solved = isotonicWithGaps(desired, seps);
    layer.forEach((v, k) => (center[v] = solved[k]!));
  };
  for (let round = 0; round < 4; round++) {
    for (let i = 1; i < layers.length; i++) pull(layers[i]!, (v) => vertices[v]!.up);
    for (let i = layers.length - 2; i >= 0; i--) pull(layers[i]!, (v) => vertices[v]!.down);
  }
  // Move the drawing so its top edge is at 0.
  const shift = vertices.length === 0 ? 0 : -extremum(vertices.map((v, i) => center[i]! - v.height / 2), Math.min, Infinity);
  return center.map((c) => c + shift);
}

/**
 * The y closest (least squares) to `desired` with y[k] - y[k-1] >= seps[k]. Substituting
 * z[k] = y[k] - (seps[1] + ... + seps[k]) makes it plain isotonic regression (z non-decreasing),
 * which pool-adjacent-violators solves in one pass.
 * Ex) desired [0, 0], seps [0, 10] -> [-5, 5].
 */
export function isotonicWithGaps(desired: readonly number[], seps: readonly number[]): number[] {
  const offsets: number[] = [];
  let acc = 0;
  for (let k = 0; k < desired.length; k++) {
    acc += k === 0 ? 0 : seps[k]!;
    offsets.push(acc);
  }
  const blocks: { sum: number; count: number }[] = [];
  for (let k = 0; k < desired.length; k++) {
    blocks.push({ sum: desired[k]! - offsets[k]!, count: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.sum / a.count <= b.sum / b.count) break;
      blocks.pop();
      a.sum += b.sum;
      a.count += b.count;
    }
  }
  const out: number[] = [];
  for (const b of blocks) for (let c = 0; c < b.count; c++) out.push(b.sum / b.count + offsets[out.length]!);
  return out;
}

/** `pick` (Math.max or Math.min) over `values` from `start`, in a loop: spreading thousands of vertices into Math.max overflows the stack. */
function extremum(values: readonly number[], pick: (a: number, b: number) => number, start: number): number {
  return values.reduce((a, b) => pick(a, b), start);
}
