/**
 * Mounts every panel with the sample data and plays the page's part: records the events the
 * panels dispatch (window.panelEvents, for the e2e test), answers spec-lab queries from the
 * sample versions (and its classify questions with the worker's own function on them), and
 * applies file actions to the files list.
 */
import '../../../src/ui/panels';
import { classifyVersions } from '../../../src/runtime/classify-versions';
import { FileActionEvent, OpenFileEvent, PipCommandEvent, SpecLabClassifyEvent, SpecLabQueryEvent } from '../../../src/ui/events';
import type { FileEntry } from '../../../src/ui/panels/types';
import { bigEnvironment, diskEntries, environment as sampleEnvironment, files, projectVersions } from './sample-data';

declare global {
  interface Window {
    panelEvents: { type: string; detail: unknown }[];
    panelsReady: boolean;
  }
}

window.panelEvents = [];
for (const type of [PipCommandEvent.eventName, OpenFileEvent.eventName, FileActionEvent.eventName, SpecLabQueryEvent.eventName]) {
  document.addEventListener(type, (e) => window.panelEvents.push({ type, detail: (e as CustomEvent).detail }));
}

const params = new URLSearchParams(location.search);
const only = params.get('panel');
const environment = params.get('env') === 'big' ? bigEnvironment() : sampleEnvironment;
const main = document.querySelector('main')!;
if (only) {
  main.classList.add('single');
  main.querySelector(`pipette-${only}`)?.classList.add('shown');
}

const packages = document.querySelector('pipette-packages')!;
packages.environment = environment;
document.querySelector('pipette-graph')!.environment = environment;
const disk = document.querySelector('pipette-disk')!;
disk.root = environment.prefix;
disk.entries = diskEntries();

const fileList = document.querySelector('pipette-files')!;
fileList.files = files;
fileList.active = '/home/pyodide/main.py';
document.addEventListener(OpenFileEvent.eventName, (e) => (fileList.active = e.detail.path));
document.addEventListener(FileActionEvent.eventName, ({ detail }) => {
  let next: FileEntry[] = [...fileList.files];
  const under = (p: string, root: string): boolean => p === root || p.startsWith(`${root}/`);
  if (detail.action === 'create') next.push({ path: detail.path, kind: 'file' });
  if (detail.action === 'delete') next = next.filter((f) => !under(f.path, detail.path));
  if (detail.action === 'rename' && detail.newPath) next = next.map((f) => (under(f.path, detail.path) ? { ...f, path: detail.newPath + f.path.slice(detail.path.length) } : f));
  fileList.files = next;
});

const lab = document.querySelector('pipette-spec-lab')!;
document.addEventListener(SpecLabQueryEvent.eventName, ({ detail }) => {
  const name = detail.project.toLowerCase();
  const versions = projectVersions[name];
  lab.project = detail.project;
  lab.versions = versions ?? [];
  lab.message = versions ? `${versions.length} versions on the index` : `No project named ${detail.project} on the index`;
});
// What the worker does (session.classifyVersions), on the sample versions.
document.addEventListener(SpecLabClassifyEvent.eventName, (e) => {
  const versions = projectVersions[e.detail.project.toLowerCase()] ?? [];
  e.respondWith(Promise.resolve(classifyVersions(e.detail.specifier, versions, { pre: e.detail.pre })));
});

await Promise.all([...main.children].map((el) => customElements.whenDefined(el.localName)));
window.panelsReady = true;
