import { css, unsafeCSS } from 'lit';
import { NARROW_WINDOW } from './narrow-window';

/** The playground's layout: header, notices, then the workspace (files | editor over terminal | machinery; in a narrow window one of them under a tab bar). */
export const appStyles = css`
  /* A column: the header and any notice take their height, the workspace all the rest, at every window size. */
  :host { display: flex; flex-direction: column; height: 100%; overflow: hidden; font-family: system-ui, sans-serif; }
  [part='actions'] { display: flex; gap: 0.4rem; align-items: center; }
  [part='actions'] button { font: 600 0.8rem system-ui; background: #2d3640; color: #e6e1cf; border: 0; border-radius: 4px; padding: 0.3rem 0.65rem; cursor: pointer; }
  [part='actions'] button[part='share'] { background: #3572a5; color: #fff; }
  [part='actions'] button:disabled { opacity: 0.5; cursor: default; }
  [part='shared'], pipette-restore-dialog { flex: none; }
  [part='shared'] { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.4rem 1rem; background: #14202b; color: #c5ccd3; font-size: 0.85rem; }
  [part='shared'] input { width: min(40rem, 60vw); background: #0f1419; color: #e6e1cf; border: 1px solid #2d3640; border-radius: 4px; padding: 0.2rem 0.4rem; font: 0.8rem ui-monospace, monospace; }
  [part='shared'] .note { color: #ffb454; }
  [part='shared'] [part='copied'] { color: #a6cc70; font-weight: 600; }
  [part='shared'] .dismiss { background: transparent; color: #8fa1b3; border: 0; cursor: pointer; }
  /* One row of fixed height whatever it says: downloads in progress shorten the activity text
     (an ellipsis), they never wrap the header or push the workspace down. The texts give way to
     an ellipsis (the index; in a narrow window the status too); the actions never do: every
     button stays whole and clickable at every width, a narrow window moving all but Share into
     the More menu. */
  header { flex: none; display: flex; flex-wrap: nowrap; gap: 1rem; align-items: center; height: 2.75rem; box-sizing: border-box; padding: 0 1rem; background: #1a2029; border-bottom: 1px solid #2d3640; overflow: hidden; }
  header > * { white-space: nowrap; }
  h1 { flex: none; font: 600 1.1rem system-ui, sans-serif; margin: 0; color: #ffd43b; }
  [part='status'] { flex: 0 0 auto; min-width: 0; max-width: 40%; overflow: hidden; text-overflow: ellipsis; color: #8fa1b3; font-size: 0.9rem; }
  [part='status'][data-ready] { color: #a6cc70; }
  [part='activity'] { flex: 1 1 0; min-width: 0; overflow: hidden; text-overflow: ellipsis; color: #73d0ff; font: 0.85rem ui-monospace, monospace; }
  [part='index'] { flex: 0 1 auto; min-width: 4rem; overflow: hidden; text-overflow: ellipsis; color: #8fa1b3; font-size: 0.85rem; font-family: ui-monospace, monospace; }
  [part='actions'] { flex: none; }
  /* The More menu: a popover (top layer, so the header's overflow does not clip it; Escape or a
     click elsewhere closes it; Tab goes from More into it), under the header's right end. */
  [part='more-actions'] { position: fixed; inset: auto; top: 3rem; right: 0.5rem; margin: 0; padding: 0.6rem; max-width: calc(100vw - 1rem); box-sizing: border-box; background: #1a2029; color: #e6e1cf; border: 1px solid #2d3640; border-radius: 6px; box-shadow: 0 6px 18px rgb(0 0 0 / 45%); }
  [part='more-actions']:popover-open { display: flex; flex-direction: column; align-items: stretch; gap: 0.4rem; }
  [part='more-actions'] button { text-align: left; padding: 0.45rem 0.75rem; }
  [part='more-actions'] [part='index'] { white-space: normal; overflow-wrap: anywhere; padding: 0 0.15rem 0.3rem; border-bottom: 1px solid #2d3640; }
  @media ${unsafeCSS(NARROW_WINDOW)} { header { gap: 0.6rem; padding: 0 0.6rem; } [part='status'] { flex-shrink: 1; max-width: none; } }
  .workspace { flex: 1 1 0; display: grid; grid-template-columns: 13rem minmax(0, 1fr) minmax(24rem, 40vw); min-height: 0; }
  pipette-files { min-height: 0; overflow: auto; border-right: 1px solid #2d3640; background: #121820; }
  main { display: grid; grid-template-rows: minmax(8rem, 2fr) auto minmax(10rem, 3fr); grid-template-columns: minmax(0, 1fr); min-height: 0; min-width: 0; overflow: hidden; }
  pipette-machinery { min-width: 0; overflow: hidden; }
  /* A narrow window: one column, the tab bar (workspace-views.ts) over the one view it shows
     (\`data-view\`); the others are hidden, not removed, so they keep what they hold. The media
     query alone decides, so the layout never waits for a render after the window changes. */
  [part='views'] { display: none; }
  @media ${unsafeCSS(NARROW_WINDOW)} {
    .workspace { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr); }
    [part='views'] { display: flex; }
    pipette-files, pipette-machinery { border: 0; }
    .workspace:not([data-view='files']) > pipette-files, .workspace:not([data-view='code']) > main, .workspace:not([data-view='machinery']) > pipette-machinery { display: none; }
  }
  [part='views'] { gap: 0.1rem; padding: 0 0.4rem; background: #1a2029; border-bottom: 1px solid #2d3640; overflow-x: auto; }
  [part='views'] [role='tab'] { flex: 1 1 auto; font: 600 0.85rem system-ui, sans-serif; white-space: nowrap; background: transparent; color: #8fa1b3; border: 0; border-bottom: 2px solid transparent; padding: 0.6rem 0.5rem 0.5rem; cursor: pointer; }
  [part='views'] [role='tab'][aria-selected='true'] { color: #ffd43b; border-bottom-color: #ffd43b; }
  [part='views'] [role='tab']:focus-visible { outline: 2px solid #73d0ff; outline-offset: -5px; }
  pipette-editor, pipette-terminal { min-height: 0; min-width: 0; overflow: hidden; }
  [part='offer'] { display: flex; gap: 0.75rem; align-items: center; padding: 0.35rem 1rem; background: #2a2410; color: #ffd43b; font-size: 0.9rem; }
  [part='offer'] button { font: 600 0.85rem system-ui; background: #3572a5; color: #fff; border: 0; border-radius: 4px; padding: 0.25rem 0.7rem; cursor: pointer; }
  [part='offer'] .dismiss { background: transparent; color: #8fa1b3; }
`;
