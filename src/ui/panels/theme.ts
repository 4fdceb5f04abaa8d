import { css } from 'lit';

/**
 * The playground's dark theme, shared by the panels: the page's colours (background #0f1419,
 * bars #1a2029, text #e6e1cf, accent #ffd43b, muted #8fa1b3, ok #a6cc70, error #f07178) as
 * custom properties a page can override, plus the buttons, inputs and badges every panel uses.
 */
export const panelTheme = css`
  :host {
    --pipette-bg: #0f1419;
    --pipette-bar: #1a2029;
    --pipette-line: #2d3640;
    --pipette-text: #e6e1cf;
    --pipette-accent: #ffd43b;
    --pipette-muted: #8fa1b3;
    --pipette-ok: #a6cc70;
    --pipette-error: #f07178;
    --pipette-link: #73b8ff;
    display: flex;
    flex-direction: column;
    min-height: 0;
    background: var(--pipette-bg);
    color: var(--pipette-text);
    font: 0.875rem/1.4 system-ui, sans-serif;
    box-sizing: border-box;
  }
  *, *::before, *::after { box-sizing: inherit; }
  [part='toolbar'] {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
    padding: 0.4rem 0.75rem;
    background: var(--pipette-bar);
    border-bottom: 1px solid var(--pipette-line);
  }
  .title { font-weight: 600; color: var(--pipette-accent); }
  .muted { color: var(--pipette-muted); }
  .mono, code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.8125rem; }
  button {
    font: 600 0.8rem system-ui, sans-serif;
    background: #26303b;
    color: var(--pipette-text);
    border: 1px solid #3a4654;
    border-radius: 4px;
    padding: 0.2rem 0.6rem;
    cursor: pointer;
    white-space: nowrap;
  }
  button:hover { background: #313d4a; }
  button:focus-visible, input:focus-visible, a:focus-visible, [tabindex]:focus-visible { outline: 2px solid var(--pipette-accent); outline-offset: 1px; }
  button.primary { background: #3572a5; border-color: #3572a5; color: #fff; }
  button.primary:hover { background: #4080b5; }
  button.danger { color: var(--pipette-error); }
  button.danger:hover { background: #3a2327; }
  input[type='text'], input[type='search'] {
    font: 0.85rem ui-monospace, Menlo, Consolas, monospace;
    background: var(--pipette-bg);
    color: var(--pipette-text);
    border: 1px solid #3a4654;
    border-radius: 4px;
    padding: 0.25rem 0.5rem;
    min-width: 0;
  }
  input::placeholder { color: #6c7a89; }
  a { color: var(--pipette-link); }
  .badge {
    display: inline-block;
    border-radius: 999px;
    padding: 0.05rem 0.5rem;
    font-size: 0.75rem;
    font-weight: 600;
    white-space: nowrap;
    border: 1px solid currentColor;
  }
  .badge.ok { color: var(--pipette-ok); }
  .badge.accent { color: var(--pipette-accent); }
  .badge.error { color: var(--pipette-error); background: #2e1b1f; }
  .badge.muted { color: var(--pipette-muted); }
  .empty { padding: 1rem; color: var(--pipette-muted); }
`;
