import type { ReactiveControllerHost } from 'lit';
import { escapeTerminalText } from '../../pep';
import type { PipetteEditor } from '../editor';
import type { PipetteTerminal } from '../terminal';

/** The page as its controllers see it: an element that re-renders on request, with its editor and terminal. */
export interface AppHost extends ReactiveControllerHost, HTMLElement {
  readonly terminal: PipetteTerminal;
  readonly editor: PipetteEditor;
  /** Brings the terminal into sight (a narrow window shows one view at a time) before the page runs something in it. */
  showTerminal(): void;
}

/** Listeners by event name, typed by the events' own declarations (GlobalEventHandlersEventMap). */
export type HostListeners = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

/**
 * Listens on the page element, while it is connected, to events that bubble out of its shadow
 * root (the panels', the editor's, the restore dialog's): added when it connects, taken off
 * when it disconnects, in one place for every controller.
 */
export function listenOnHost(host: ReactiveControllerHost & HTMLElement, listeners: HostListeners): void {
  const entries = Object.entries(listeners) as [string, EventListener][];
  host.addController({
    hostConnected: () => entries.forEach(([name, listener]) => host.addEventListener(name, listener)),
    hostDisconnected: () => entries.forEach(([name, listener]) => host.removeEventListener(name, listener)),
  });
}

/** The person's home directory in the interpreter: the files kept across reloads. */
export const HOME = '/home/pyodide';

/** A failure the worker reported, in red above the prompt (its text is outside text: escaped). */
export function printFailure(terminal: PipetteTerminal, message: string): void {
  terminal.print(`\x1b[31m${escapeTerminalText(message)}\x1b[0m`);
}

/** `path` relative to the home directory when it is inside it (`~/`-less, as the editor's tab shows it). */
export function relativeTo(home: string, path: string): string {
  return path.startsWith(`${home}/`) ? path.slice(home.length + 1) : path;
}
