import { css } from 'lit';

export const specLabStyles = css`
  .body { flex: 1; overflow: auto; min-height: 0; padding: 0.6rem 0.75rem; }
  .command { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; font: 0.85rem ui-monospace, Menlo, Consolas, monospace; }
  .prompt { color: var(--pipette-muted); }
  .prompt::before { content: '$ '; color: var(--pipette-accent); }
  [part='project'] { width: 10rem; }
  [part='specifier'] { flex: 1; min-width: 12rem; }
  .pre { color: var(--pipette-muted); display: inline-flex; gap: 0.25rem; align-items: center; cursor: pointer; }
  .status { margin: 0.4rem 0 0; }
  [part='error'] { margin: 0.6rem 0; padding: 0.5rem 0.7rem; background: #2e1b1f; border: 1px solid #5a2c33; border-radius: 4px; color: var(--pipette-error); font: 0.8125rem/1.45 ui-monospace, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-x: auto; }
  [part='explain'] p { margin: 0.5rem 0; }
  code { background: #1a2029; border-radius: 3px; padding: 0.05rem 0.3rem; }
  .spelled, .range { color: var(--pipette-accent); }
  .outcome.ok { color: var(--pipette-ok); }
  .bad { color: var(--pipette-error); }
  .outcome.bad code { color: var(--pipette-error); white-space: normal; overflow-wrap: anywhere; }
  .pre-rule { color: #c9c4b5; }
  .legend, [part='versions'] { list-style: none; margin: 0.5rem 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem; }
  .legend .version { font: 0.72rem system-ui, sans-serif; padding: 0.05rem 0.45rem; }
  .version { font: 0.8rem ui-monospace, Menlo, Consolas, monospace; border-radius: 4px; padding: 0.12rem 0.45rem; border: 1px solid transparent; }
  .version.chosen { background: #a6cc70; color: #0f1419; font-weight: 700; }
  .version.match { background: #1f2b17; color: #a6cc70; border-color: #3e5a26; }
  .version.prerelease-skipped { background: #262210; color: #ffd43b; border: 1px dashed #8a7420; }
  .version.yanked-skipped { background: #2e1b1f; color: #f07178; text-decoration: line-through; }
  .version.no-match, .version.unknown { background: #151b22; color: #7d8a97; }
  .version.no-match.yanked { text-decoration: line-through; }
  .version.invalid { color: #7d8a97; font-style: italic; }
  .empty { padding: 0.5rem 0; }
`;
