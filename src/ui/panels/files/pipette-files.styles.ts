import { css } from 'lit';

export const filesStyles = css`
  .spacer { flex: 1; }
  [part='list'] { list-style: none; margin: 0; padding: 0.25rem 0; flex: 1; overflow: auto; min-height: 0; }
  [part='row'] { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem; padding-right: 0.4rem; }
  [part='row']:hover { background: #161d25; }
  [part='row'].active { background: #1f2a36; box-shadow: inset 2px 0 0 var(--pipette-accent); }
  .entry { flex: 1; min-width: 0; display: flex; gap: 0.35rem; align-items: baseline; background: none; border: 0; padding: 0.2rem 0; color: var(--pipette-text); font: 0.8125rem ui-monospace, Menlo, Consolas, monospace; text-align: left; cursor: pointer; }
  .entry:hover { background: none; }
  /* Whole names: a long one wraps (at any character) rather than being cut to "ma…". */
  .entry .name { overflow-wrap: anywhere; word-break: break-all; white-space: normal; }
  .entry .tag { margin-left: 0.35rem; padding: 0 0.3rem; border: 1px solid var(--pipette-muted); border-radius: 3px; color: var(--pipette-muted); font-size: 0.65rem; }
  .environment .entry { cursor: default; }
  .directory .entry .name { color: #73b8ff; }
  .icon { width: 0.7rem; color: var(--pipette-muted); flex: none; }
  /* On their own line under the name, so the name keeps the whole width. */
  .row-actions { display: none; gap: 0.2rem; flex-basis: 100%; padding: 0 0 0.2rem 1.05rem; }
  [part='row']:hover .row-actions, [part='row']:focus-within .row-actions, [part='row'].active .row-actions { display: inline-flex; }
  .row-actions button { font-size: 0.7rem; padding: 0.05rem 0.35rem; }
  .confirm { flex-basis: 100%; display: flex; flex-wrap: wrap; align-items: center; gap: 0.35rem; margin: 0.2rem 0 0.35rem 1.05rem; padding: 0.35rem 0.5rem; background: #2e1b1f; border: 1px solid #5a2c33; border-radius: 4px; font-size: 0.8rem; }
  .confirm span { flex-basis: 100%; }
  .editing { padding: 0.25rem 0.5rem 0.35rem; }
  .editing input { width: 100%; }
  .editing input[aria-invalid='true'] { border-color: var(--pipette-error); }
  .hint { font-size: 0.75rem; margin-top: 0.2rem; }
  [part='error'] { color: var(--pipette-error); }
  .empty { list-style: none; }
`;
