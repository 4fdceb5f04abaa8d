/**
 * A ShellHost for tests: a real filesystem (MemoryShellFs, or any ShellFs such as Pyodide's),
 * venvs made of real files (pyvenv.cfg, bin/activate, bin/pip, bin/python), and pip / python /
 * console scripts as scripted programs that record how they were called. Nothing about the
 * shell is faked: the host is the shell's outside world, and this one is small on purpose.
 */
import {
  MemoryShellFs,
  Shell,
  type CommandContext,
  type PythonInvocation,
  type ShellFs,
  type ShellHost,
  type VenvInfo,
  type VenvRequest,
} from '../../../src/shell';

export type Program = (argv: readonly string[], ctx: CommandContext) => number | Promise<number>;

export interface Call {
  readonly program: 'pip' | 'python' | 'venv' | 'script' | 'activate' | 'deactivate';
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly stdin: string | null;
  readonly env: Readonly<Record<string, string>>;
  /** Which file was run (ctx.program / the script's path), null for the host's own. */
  readonly path: string | null;
  /** The active venv's prefix when it ran. */
  readonly venv: string | null;
}

const encoder = new TextEncoder();

export class TestHost implements ShellHost {
  readonly user = 'user';
  readonly hostname = 'pipette';
  readonly home = '/home/user';
  readonly calls: Call[] = [];
  width = 80;
  cleared = 0;
  installed: string[] = [];
  private venv: VenvInfo | null = null;
  /** What `pip ...` does; records the call first. Default: nothing, status 0. */
  pipProgram: Program = () => 0;
  pythonProgram: (invocation: PythonInvocation, ctx: CommandContext) => number | Promise<number> = () => 0;
  scriptProgram: Program = () => 0;

  constructor(
    readonly fs: ShellFs = new MemoryShellFs(() => Date.UTC(2026, 0, 2, 15, 4)),
    readonly env: Record<string, string> = {},
  ) {
    fs.mkdirp(this.home);
  }

  async pip(argv: readonly string[], ctx: CommandContext): Promise<number> {
    this.record('pip', argv, ctx, ctx.program);
    return this.pipProgram(argv, ctx);
  }

  columns(): number {
    return this.width;
  }

  async python(invocation: PythonInvocation, ctx: CommandContext): Promise<number> {
    this.record('python', [JSON.stringify(invocation)], ctx, ctx.program);
    return this.pythonProgram(invocation, ctx);
  }

  /** Writes what `python -m venv` writes that the shell looks at. */
  async createVenv(request: VenvRequest, ctx: CommandContext): Promise<number> {
    this.record('venv', request.dirs, ctx, null);
    for (const dir of request.dirs) {
      this.fs.mkdirp(`${dir}/bin`);
      this.fs.writeFile(`${dir}/pyvenv.cfg`, encoder.encode(`home = /usr/bin\ninclude-system-site-packages = false\n${request.prompt ? `prompt = ${request.prompt}\n` : ''}`));
      this.fs.writeFile(`${dir}/bin/activate`, encoder.encode('# This file must be used with "source bin/activate"\n'));
      this.fs.writeFile(`${dir}/bin/python`, encoder.encode('#!/bin/sh\n'), { executable: true });
      this.fs.writeFile(`${dir}/bin/pip`, encoder.encode('#!python\n'), { executable: true });
    }
    return 0;
  }

  async runProgram(path: string, argv: readonly string[], ctx: CommandContext): Promise<number> {
    this.record('script', argv, ctx, path);
    return this.scriptProgram(argv, ctx);
  }

  activeVenv(): VenvInfo | null {
    return this.venv;
  }

  async activate(prefix: string, ctx: CommandContext): Promise<number> {
    this.record('activate', [prefix], ctx, null);
    const cfg = new TextDecoder().decode(this.fs.readFile(`${prefix}/pyvenv.cfg`) ?? new Uint8Array());
    const prompt = /^prompt = (.*)$/m.exec(cfg)?.[1];
    this.venv = { name: prompt ?? prefix.slice(prefix.lastIndexOf('/') + 1), prefix };
    return 0;
  }

  async deactivate(ctx: CommandContext): Promise<number> {
    this.record('deactivate', [], ctx, null);
    this.venv = null;
    return 0;
  }

  clear(): void {
    this.cleared++;
  }

  async installedNames(): Promise<readonly string[]> {
    return this.installed;
  }

  private record(program: Call['program'], argv: readonly string[], ctx: CommandContext, path: string | null): void {
    this.calls.push({ program, argv: [...argv], cwd: ctx.cwd, stdin: ctx.stdin, env: ctx.env, path, venv: this.venv?.prefix ?? null });
  }
}

export interface Ran {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: boolean;
}

/** Runs a line and captures what reached the terminal. */
export async function run(shell: Shell, line: string, signal?: AbortSignal): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const result = await shell.run(line, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    ...(signal ? { signal } : {}),
  });
  return { status: result.status, stdout, stderr, exit: result.exit };
}

/** A shell in /home/user over a fresh host. */
export function newShell(host = new TestHost()): { shell: Shell; host: TestHost } {
  return { shell: new Shell(host), host };
}

export function readFile(host: TestHost, path: string): string | null {
  const data = host.fs.readFile(path);
  return data === null ? null : new TextDecoder().decode(data);
}

export function writeFile(host: TestHost, path: string, text: string): void {
  const dir = path.slice(0, path.lastIndexOf('/')) || '/';
  host.fs.mkdirp(dir);
  host.fs.writeFile(path, encoder.encode(text));
}
