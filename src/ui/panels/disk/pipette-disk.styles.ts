import { css } from 'lit';

export const diskStyles = css`
  .spacer { flex: 1; }
  [part='tree'] { list-style: none; margin: 0; padding: 0.3rem 0; flex: 1; overflow: auto; min-height: 0; font: 0.8125rem/1.5 ui-monospace, Menlo, Consolas, monospace; }
  [part='row'] { display: flex; align-items: baseline; gap: 0.4rem; padding: 0.05rem 0.75rem 0.05rem 0.6rem; white-space: nowrap; }
  [part='row'].directory { cursor: pointer; }
  [part='row']:hover { background: #161d25; }
  .twisty { display: inline-block; width: 0.8rem; color: var(--pipette-muted); flex: none; }
  .directory > .name { color: #73b8ff; }
  .dist-info > .name { color: var(--pipette-accent); font-weight: 600; }
  .dist-info { background: #1c1a10; }
  .dist-info:hover { background: #26230f; }
  .dist-info-file > .name { color: #e0c872; }
  .meaning { color: var(--pipette-muted); font-family: system-ui, sans-serif; font-size: 0.75rem; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
  .legend { margin: 0; padding: 0.3rem 0.75rem; border-top: 1px solid var(--pipette-line); background: var(--pipette-bar); color: var(--pipette-muted); font-size: 0.75rem; }
  .legend code { color: var(--pipette-accent); }
  .legend code { white-space: nowrap; }
  .swatch { display: inline-block; vertical-align: -0.1rem; margin-right: 0.3rem; width: 0.8rem; height: 0.8rem; border-radius: 2px; background: #2a2616; border: 1px solid #8a7420; }
  .size { margin-left: auto; padding-left: 1rem; color: var(--pipette-muted); flex: none; }
  .count { color: #6c7a89; }
`;
