import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { PipCommandEvent } from '../../events/pip-command-event';
import { panelTheme } from '../theme';
import type { EnvironmentView } from '../types';
import { layoutGraph, type GraphLayout, type Point } from './layout';
import { dependencyGraph, type DependencyGraph, type GraphNode } from './model';
import { graphStyles } from './pipette-graph.styles';
import { fitViewBox, panViewBox, zoomViewBox, type ViewBox } from './view-box';

const NODE_HEIGHT = 40;
/** ui-monospace at 13px is about 7.8px a character; a little more keeps bold names inside. */
const CHAR_WIDTH = 8.2;

/**
 * The environment's dependency graph: who requires whom, drawn left to right from the
 * requested distributions, with a deterministic layered layout (layout.ts). The mouse wheel and
 * the +/− buttons zoom (the SVG viewBox), dragging pans, Fit shows everything; hovering an edge
 * shows its requirement, clicking a node (or Enter on it) asks for `pip show`.
 *
 * Properties: `environment` (EnvironmentView | null).
 * Events: `pipette-pip-command` ({@link PipCommandEvent}) `['show', name]` for a clicked node.
 * Parts: `toolbar`, `canvas` (the svg), `node` (each node's group), `edge` (each edge's group),
 *   `zoom-in`, `zoom-out`, `fit` (the buttons).
 */
export class PipetteGraph extends LitElement {
  static override styles = [panelTheme, graphStyles];

  static override properties = {
    environment: { attribute: false },
    viewBox: { state: true },
    hovered: { state: true },
  };
  declare environment: EnvironmentView | null;
  declare viewBox: ViewBox;
  /** The node under the pointer: its edges are highlighted. */
  declare hovered: string | null;
  private graph: DependencyGraph = { nodes: [], edges: [], missing: [] };
  private layout: GraphLayout = layoutGraph({ nodes: [], edges: [] });
  private nodes = new Map<string, GraphNode>();
  private labels = new Map<string, string>();
  private drag: { id: number; x: number; y: number; start: ViewBox; toSvg: DOMMatrix; moved: boolean } | null = null;
  /** Set when a drag ended, so the click that follows it does not open a node. */
  private suppressClick = false;
  /** The svg's size in pixels; the fitted view follows it until the person zooms or pans. */
  private viewport: { width: number; height: number } | undefined;
  private autoFit = true;
  private observed: SVGSVGElement | null = null;
  private readonly resizeObserver = new ResizeObserver((entries) => {
    const box = entries[entries.length - 1]?.contentRect;
    if (!box) return;
    this.viewport = { width: box.width, height: box.height };
    if (this.autoFit) this.viewBox = this.fitted();
  });

  constructor() {
    super();
    this.environment = null;
    this.viewBox = { x: 0, y: 0, width: 100, height: 100 };
    this.hovered = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('environment')) {
      this.graph = dependencyGraph(this.environment ?? { name: '', prefix: '', sitePackages: '', distributions: [] });
      this.nodes = new Map(this.graph.nodes.map((n) => [n.id, n]));
      this.labels = new Map(this.graph.edges.map((e) => [`${e.from}\n${e.to}`, e.label]));
      this.layout = layoutGraph(
        {
          nodes: this.graph.nodes.map((n) => ({ id: n.id, width: nodeWidth(n), height: NODE_HEIGHT })),
          edges: this.graph.edges,
          roots: this.graph.nodes.filter((n) => n.requested).map((n) => n.id),
        },
        { layerGap: 72, nodeGap: 14 },
      );
      this.autoFit = true;
      this.viewBox = this.fitted();
    }
  }

  protected override updated(): void {
    // The svg comes and goes with the empty state; observe the one there is.
    const svg = this.svgElement;
    if (svg && svg !== this.observed) {
      this.resizeObserver.disconnect();
      this.resizeObserver.observe(svg);
      this.observed = svg;
    }
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
    this.observed = null;
  }

  private fitted(): ViewBox {
    return fitViewBox(this.layout, 16, this.viewport);
  }

  /** Shows the whole graph. */
  fit(): void {
    this.autoFit = true;
    this.viewBox = this.fitted();
  }

  /** Zooms by `factor` (>1 closer) around `at` (SVG coordinates; the centre by default). */
  zoom(factor: number, at?: Point): void {
    this.autoFit = false;
    this.viewBox = zoomViewBox(this.viewBox, factor, at ?? { x: this.viewBox.x + this.viewBox.width / 2, y: this.viewBox.y + this.viewBox.height / 2 }, this.fitted());
  }

  private get svgElement(): SVGSVGElement | null {
    return this.renderRoot.querySelector('svg');
  }

  private toSvgPoint(clientX: number, clientY: number, matrix?: DOMMatrix): Point | null {
    const m = matrix ?? this.svgElement?.getScreenCTM()?.inverse();
    if (!m) return null;
    const p = new DOMPoint(clientX, clientY).matrixTransform(m);
    return { x: p.x, y: p.y };
  }

  private readonly onWheel = {
    handleEvent: (e: WheelEvent): void => {
      e.preventDefault();
      const at = this.toSvgPoint(e.clientX, e.clientY);
      // A notch (deltaY 100) zooms by 1.2; trackpads send small deltas for small steps.
      this.zoom(Math.pow(1.2, -e.deltaY / 100), at ?? undefined);
    },
    passive: false,
  };

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    const toSvg = this.svgElement?.getScreenCTM()?.inverse();
    if (!toSvg) return;
    this.drag = { id: e.pointerId, x: e.clientX, y: e.clientY, start: this.viewBox, toSvg, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.id !== e.pointerId) return;
    if (!drag.moved) {
      if (Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < 4) return;
      drag.moved = true;
      // Captured only once it is a drag: capturing on pointerdown would retarget the click
      // that opens a node to the svg.
      this.svgElement?.setPointerCapture(e.pointerId);
    }
    this.autoFit = false;
    const a = this.toSvgPoint(drag.x, drag.y, drag.toSvg)!;
    const b = this.toSvgPoint(e.clientX, e.clientY, drag.toSvg)!;
    this.viewBox = panViewBox(drag.start, a.x - b.x, a.y - b.y);
  }

  private onPointerUp(e: PointerEvent): void {
    if (!this.drag || this.drag.id !== e.pointerId) return;
    this.suppressClick = this.drag.moved;
    this.drag = null;
  }

  private show(node: GraphNode): void {
    if (this.suppressClick) {
      this.suppressClick = false;
      return;
    }
    this.dispatchEvent(new PipCommandEvent(['show', node.name]));
  }

  protected override render() {
    const { x, y, width, height } = this.viewBox;
    const empty = this.graph.nodes.length === 0;
    return html`
      <div part="toolbar">
        <span class="title">Dependency graph</span>
        ${this.environment ? html`<span class="mono">${this.environment.name}</span>` : nothing}
        <span class="spacer"></span>
        ${this.graph.missing.length > 0
          ? html`<span class="muted missing" title=${`Not installed (an extra not asked for, or a marker that is false here):\n${this.graph.missing.map((m) => `${m.from} → ${m.requirement}`).join('\n')}`}>${this.graph.missing.length} not installed</span>`
          : nothing}
        <button part="zoom-out" title="Zoom out" aria-label="Zoom out" @click=${() => this.zoom(1 / 1.25)}>−</button>
        <button part="zoom-in" title="Zoom in" aria-label="Zoom in" @click=${() => this.zoom(1.25)}>+</button>
        <button part="fit" title="Show the whole graph" @click=${() => this.fit()}>Fit</button>
      </div>
      ${empty
        ? html`<p class="empty">Nothing installed, so no graph yet. Try <code>pip install requests</code>.</p>`
        : html`<div class="stage"><svg
            part="canvas"
            viewBox="${x} ${y} ${width} ${height}"
            preserveAspectRatio="xMidYMid meet"
            role="group"
            aria-label="Dependency graph"
            @wheel=${this.onWheel}
            @pointerdown=${this.onPointerDown}
            @pointermove=${this.onPointerMove}
            @pointerup=${this.onPointerUp}
            @pointercancel=${this.onPointerUp}
          >
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
                <path d="M0,0 L10,5 L0,10 z" fill="#5c6b7a"></path>
              </marker>
              <marker id="arrow-hot" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
                <path d="M0,0 L10,5 L0,10 z" fill="#ffd43b"></path>
              </marker>
            </defs>
            <g class="edges">${repeat(this.layout.edges, (e) => `${e.from}\n${e.to}`, (e) => this.renderEdge(e.from, e.to, e.points, e.reversed, this.labels.get(`${e.from}\n${e.to}`) ?? ''))}</g>
            <g class="nodes">${repeat(this.layout.nodes, (n) => n.id, (n) => this.renderNode(this.nodes.get(n.id)!, n.x, n.y, n.width, n.height))}</g>
          </svg>
          <div class="legend" aria-hidden="true"><span class="swatch requested"></span>requested <span class="swatch dependency"></span>dependency <span class="swatch vulnerable"></span>vulnerable <span class="swatch cycle"></span>closes a cycle</div></div>`}
    `;
  }

  private renderEdge(from: string, to: string, points: readonly Point[], reversed: boolean, label: string) {
    const hot = this.hovered !== null && (from === this.hovered || to === this.hovered);
    const d = smoothPath(points);
    return svg`<g part="edge" class="edge ${hot ? 'hot' : ''} ${reversed ? 'reversed' : ''}" data-from=${from} data-to=${to}>
      <title>${label}${reversed ? ' (closes a cycle)' : ''}</title>
      <path class="hit" d=${d}></path>
      <path class="line" d=${d} marker-end=${hot ? 'url(#arrow-hot)' : 'url(#arrow)'}></path>
    </g>`;
  }

  private renderNode(n: GraphNode, x: number, y: number, w: number, h: number) {
    const status = n.vulnerabilities > 0 ? `${n.vulnerabilities} known vulnerabilit${n.vulnerabilities === 1 ? 'y' : 'ies'}` : n.requested ? 'requested' : 'dependency';
    return svg`<g
      part="node"
      class="node ${n.kind} ${n.requested ? 'is-requested' : ''}"
      data-name=${n.name}
      transform="translate(${x} ${y})"
      tabindex="0"
      role="button"
      aria-label="${n.name} ${n.version}, ${status}: pip show"
      @click=${() => this.show(n)}
      @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), this.show(n))}
      @pointerenter=${() => (this.hovered = n.id)}
      @pointerleave=${() => (this.hovered = null)}
    >
      <title>${n.name} ${n.version} (${status}). Click: pip show ${n.name}</title>
      <rect width=${w} height=${h} rx="6"></rect>
      <text class="name" x="12" y="17">${n.vulnerabilities > 0 ? '⚠ ' : ''}${n.name}</text>
      <text class="version" x="12" y="32">${n.version}</text>
    </g>`;
  }
}

function nodeWidth(n: GraphNode): number {
  const name = n.name.length + (n.vulnerabilities > 0 ? 2 : 0);
  return Math.ceil(Math.max(name * CHAR_WIDTH, n.version.length * 7.2) + 24);
}

/** A path through `points` with horizontal tangents at each point (a cubic between neighbours). */
function smoothPath(points: readonly Point[]): string {
  if (points.length === 0) return '';
  let d = `M${points[0]!.x},${points[0]!.y}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1]!;
    const q = points[i]!;
    const dx = (q.x - p.x) / 2;
    d += ` C${p.x + dx},${p.y} ${q.x - dx},${q.y} ${q.x},${q.y}`;
  }
  return d;
}
