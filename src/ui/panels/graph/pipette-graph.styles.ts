import { css } from 'lit';

export const graphStyles = css`
  .stage { flex: 1; min-height: 0; display: flex; flex-direction: column; }
  [part='canvas'] { flex: 1; min-height: 0; width: 100%; display: block; cursor: grab; touch-action: none; user-select: none; }
  [part='canvas']:active { cursor: grabbing; }
  .spacer { flex: 1; }
  .legend { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem; padding: 0.3rem 0.75rem; border-top: 1px solid var(--pipette-line); background: var(--pipette-bar); color: var(--pipette-muted); font-size: 0.75rem; }
  .missing { font-size: 0.8rem; cursor: help; }
  .swatch { display: inline-block; width: 0.75rem; height: 0.75rem; border-radius: 3px; border: 2px solid; margin-left: 0.3rem; }
  .swatch.requested { border-color: #ffd43b; background: #2a2616; }
  .swatch.dependency { border-color: #6b7d8f; background: #1a2029; }
  .swatch.vulnerable { border-color: #f07178; background: #2e1b1f; }
  .swatch.cycle { border: 0; border-top: 2px dashed #8fa1b3; border-radius: 0; height: 0; width: 1.1rem; }
  [part='zoom-in'], [part='zoom-out'] { min-width: 2rem; font-size: 1rem; line-height: 1; }
  .node { cursor: pointer; outline: none; }
  .node rect { fill: #1a2029; stroke: #6b7d8f; stroke-width: 1.5; }
  .node.requested rect { fill: #2a2616; stroke: #ffd43b; stroke-width: 2; }
  .node.vulnerable rect { fill: #2e1b1f; stroke: #f07178; stroke-width: 2; }
  .node.vulnerable.is-requested rect { stroke-dasharray: none; stroke-width: 3; }
  .node:hover rect, .node:focus-visible rect { stroke: #ffffff; }
  .node text { font-family: ui-monospace, Menlo, Consolas, monospace; pointer-events: none; }
  .node .name { font-size: 13px; font-weight: 700; fill: #e6e1cf; }
  .node.is-requested .name { fill: #ffd43b; }
  .node.vulnerable .name { fill: #f07178; }
  .node .version { font-size: 11.5px; fill: #8fa1b3; }
  .edge .line { fill: none; stroke: #5c6b7a; stroke-width: 1.5; }
  .edge.reversed .line { stroke-dasharray: 5 4; }
  .edge .hit { fill: none; stroke: transparent; stroke-width: 12; }
  .edge:hover .line, .edge.hot .line { stroke: #ffd43b; stroke-width: 2; }
`;
