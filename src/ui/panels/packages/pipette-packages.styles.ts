import { css } from 'lit';

export const packagesStyles = css`
  :host { container-type: inline-size; }
  [part='table'] { flex: 1; overflow: auto; min-height: 0; }
  table { width: 100%; border-collapse: collapse; }
  th {
    position: sticky; top: 0; z-index: 1;
    text-align: left; font-weight: 600; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em;
    color: var(--pipette-muted); background: var(--pipette-bg);
    padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--pipette-line);
  }
  td { padding: 0.45rem 0.6rem; border-bottom: 1px solid #1d242d; vertical-align: top; }
  tr.vulnerable > td:first-child { box-shadow: inset 3px 0 0 var(--pipette-error); }
  .name { font: 600 0.875rem ui-monospace, Menlo, Consolas, monospace; background: none; border: 0; padding: 0; color: var(--pipette-text); cursor: pointer; text-align: left; }
  .name:hover { background: none; text-decoration: underline; }
  .name::before { content: '▸ '; color: var(--pipette-muted); }
  .name[aria-expanded='true']::before { content: '▾ '; }
  .why { font-size: 0.78rem; color: var(--pipette-muted); margin-top: 0.15rem; }
  .why.requested { color: var(--pipette-accent); }
  .version { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
  .version .badge { margin-top: 0.25rem; }
  .summary { color: #c9c4b5; min-width: 12rem; overflow-wrap: anywhere; }
  .security { min-width: 8rem; }
  .vulns { list-style: none; margin: 0.3rem 0 0; padding: 0; font-size: 0.78rem; }
  .vulns li { margin: 0.1rem 0; }
  .vulns .fixed { color: var(--pipette-muted); }
  .actions { white-space: nowrap; text-align: right; }
  .actions button + button { margin-left: 0.3rem; }
  tr.details td { background: #131920; padding: 0.4rem 0.6rem 0.6rem 1.6rem; font-size: 0.8rem; }
  .requires { display: flex; flex-wrap: wrap; gap: 0.3rem; margin: 0.2rem 0 0.4rem; padding: 0; list-style: none; }
  .requires li { font-family: ui-monospace, Menlo, Consolas, monospace; background: #1d2530; border-radius: 4px; padding: 0.05rem 0.4rem; }
  .requires .marker { color: var(--pipette-muted); }
  .none-known { color: var(--pipette-ok); font-size: 0.8rem; }
  .nowrap { white-space: nowrap; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  [part='filter'] { flex: 1; max-width: 18rem; margin-left: auto; }
  /* Narrow panels: the buttons stack so the summary keeps its room. */
  @container (max-width: 72rem) {
    .actions button { display: block; width: 100%; margin: 0 0 0.25rem; }
    .actions button + button { margin-left: 0; }
    .summary { min-width: 8rem; }
    td, th { padding-left: 0.4rem; padding-right: 0.4rem; }
  }
  /* A phone (the panel is the whole window) or the playground's side column (~32rem at
     1280 px): the five columns do not fit (the buttons would be scrolled out of sight, or the
     summary squeezed to a word a line and cut inside words), so each package is a card: name
     and version, why it is here, the summary, the security check, the buttons in a row. */
  @container (max-width: 36rem) {
    thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    table, tbody, tr.details, tr.details td { display: block; }
    tr[part='row'] { display: grid; grid-template-columns: minmax(0, 1fr) auto; column-gap: 0.75rem; padding: 0.55rem 0.6rem; border-bottom: 1px solid #1d242d; }
    tr.vulnerable { box-shadow: inset 3px 0 0 var(--pipette-error); }
    tr.vulnerable > td:first-child { box-shadow: none; }
    tr[part='row'] > td { display: block; padding: 0; border: 0; min-width: 0; }
    .version { text-align: right; }
    .summary, .security, .actions { grid-column: 1 / -1; margin-top: 0.35rem; }
    .security::before { content: 'Security: '; color: var(--pipette-muted); font-size: 0.8rem; }
    .actions { text-align: left; }
    .actions button { display: inline-block; width: auto; margin: 0 0.3rem 0 0; padding: 0.3rem 0.7rem; }
  }
`;
