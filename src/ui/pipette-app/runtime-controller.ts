import { createStdinBuffers, openRelayChannel, proxy, startRuntime, type BootProgress, type InterpreterInfo, type PageRelay, type Remote, type RuntimeApi, type StdinBuffers } from '../../runtime';
import type { DiskEntry, EnvironmentView, FileEntry, VersionRow } from '../panels';
import { SpecLabClassifyEvent, SpecLabQueryEvent } from '../events';
import { listenOnHost, type AppHost } from './app-host';
import { configFromLocation, terminalRelayFromPage } from './page-config';

/**
 * The runtime worker as the page holds it: its boot (and the progress shown meanwhile), and
 * what the side list and the machinery panels draw from it, refreshed after every command.
 */
export class RuntimeController {
  readonly config = configFromLocation(window.location);
  readonly stdin: StdinBuffers | null = createStdinBuffers();
  /** Shared with the worker when the page is cross-origin isolated: Ctrl+C writes 2 here (SIGINT). */
  readonly interruptBuffer: Int32Array | null = this.stdin ? new Int32Array(new SharedArrayBuffer(4)) : null;
  /**
   * Without shared memory (plain http at an address: a classroom's student machines), the server's
   * terminal relay carries typed lines and Ctrl+C instead, when it offers one.
   */
  readonly relay: PageRelay | null = this.stdin ? null : relayOf(terminalRelayFromPage(window.location));
  /** The booted runtime: what every call waits on, so nothing is asked of a runtime still starting. */
  readonly ready: Promise<Remote<RuntimeApi>>;
  /** The booted runtime once it is up; tests and the console may reach it as `app.runtime`. */
  api: Remote<RuntimeApi> | null = null;
  info: InterpreterInfo | null = null;
  progress: BootProgress | null = null;
  files: FileEntry[] = [];
  environment: EnvironmentView | null = null;
  disk: { root: string; entries: DiskEntry[] } | null = null;
  /** The specifier lab's project, its versions, and what to say instead of them. */
  project = '';
  versions: VersionRow[] = [];
  specMessage: string | null = null;
  private readonly worker = startRuntime();
  private resolveReady: (api: Remote<RuntimeApi>) => void = () => {};
  /** What the environment's panels were last drawn from (see refresh). */
  private stamp: string | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;

  constructor(private readonly host: AppHost) {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    // The specifier lab's queries (from the machinery panel).
    listenOnHost(host, { [SpecLabQueryEvent.eventName]: this.onQuery, [SpecLabClassifyEvent.eventName]: this.onClassify });
  }

  private readonly onQuery = (event: SpecLabQueryEvent): void => void this.queryVersions(event.detail.project);

  /** The lab's verdicts come from the worker, decided by the resolver's own policies. */
  private readonly onClassify = (event: SpecLabClassifyEvent): void =>
    event.respondWith(this.classify(event.detail.project, event.detail.specifier, event.detail.pre));

  private async classify(project: string, specifier: string, pre: boolean): ReturnType<RuntimeApi['classifyVersions']> {
    return (await this.ready).classifyVersions(project, specifier, { pre });
  }

  /** Boots the worker (the saved workspace restored before it answers); throws when Python cannot start. */
  async boot(history: readonly string[]): Promise<InterpreterInfo> {
    const api = await this.worker.boot(
      {
        ...this.config,
        pageUrl: `${window.location.origin}${window.location.pathname}`,
        ...(this.interruptBuffer ? { interruptBuffer: this.interruptBuffer } : {}),
        ...(this.stdin ? { stdin: this.stdin } : {}),
        ...(this.relay ? { terminalRelay: this.relay.channel } : {}),
        history,
      },
      proxy((p: BootProgress) => {
        this.progress = p;
        this.host.requestUpdate();
      }),
    );
    this.info = await api.info;
    this.api = api;
    this.resolveReady(api);
    this.host.requestUpdate();
    return this.info;
  }

  /**
   * After every command, off its path (the prompt does not wait): the home folder's files, and
   * the environment's panels only when what they show changed (a cheap stamp of its listings), so
   * `ls` in an environment of thousands of files costs two small calls, not reading them all.
   */
  refresh(withIndexFacts: () => boolean): Promise<void> {
    // One at a time; a command that ends meanwhile gets a fresh look once this one is done.
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          await this.refreshOnce(withIndexFacts);
        } while (this.refreshAgain);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async refreshOnce(withIndexFacts: () => boolean): Promise<void> {
    const api = await this.ready;
    const [stamp, files] = await Promise.all([api.environmentStamp(), api.homeEntries()]);
    if (JSON.stringify(files) !== JSON.stringify(this.files)) {
      this.files = files;
      this.host.requestUpdate();
    }
    if (stamp === this.stamp) return;
    const [environment, disk] = await Promise.all([api.describeEnvironment(), api.diskEntries()]);
    this.stamp = stamp;
    this.environment = environment;
    this.disk = disk;
    this.host.requestUpdate();
    if (withIndexFacts()) void this.addIndexFacts();
  }

  /** Updates and vulnerabilities need the index's JSON API: fetched after the view is up. */
  async addIndexFacts(): Promise<void> {
    const online = await (await this.ready).describeEnvironment({ online: true });
    if (this.environment && online.prefix === this.environment.prefix) {
      this.environment = online;
      this.host.requestUpdate();
    }
  }

  /** The specifier lab asks for a project's versions; a newer query wins over a slower older one. */
  async queryVersions(project: string): Promise<void> {
    this.project = project;
    this.host.requestUpdate();
    if (!project.trim()) return;
    this.specMessage = `Fetching the versions of ${project}…`;
    const answer = await (await this.ready).projectVersions(project);
    if (this.project !== project) return; // a newer query won
    [this.versions, this.specMessage] = answer.kind === 'ok' ? [answer.versions, null] : [[], answer.message];
    this.host.requestUpdate();
  }
}

function relayOf(mount: string | null): PageRelay | null {
  return mount === null ? null : openRelayChannel(mount);
}
