import { PipetteTerminal } from './pipette-terminal';

customElements.define('pipette-terminal', PipetteTerminal);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-terminal': PipetteTerminal;
  }
}

export { PipetteTerminal };
export type { TerminalBackend, HistoryStore, CompletionKind } from './pipette-terminal';
