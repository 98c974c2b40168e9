import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How to start one program. */
export interface ProgramSpec {
  /** Short name used in logs and failure messages, e.g. `redis-server`. */
  readonly name: string;
  /** Executable (absolute path or a name on PATH). */
  readonly command: string;
  /** Arguments. */
  readonly args: readonly string[];
  /**
   * Environment variables (the harness passes PATH, HOME and LANG through; nothing else leaks in).
   * @default - none beyond PATH, HOME and LANG
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Working directory.
   * @default - the supervisor's work directory
   */
  readonly cwd?: string;
  /**
   * Run as this user and group (programs such as `postgres` refuse to run as root).
   * @default - the current user
   */
  readonly user?: { readonly uid: number; readonly gid: number };
  /**
   * Resolves true once the program serves requests; polled every 100 ms until `readyTimeoutMs`.
   * @default - ready as soon as it is spawned
   */
  readonly ready?: () => Promise<boolean>;
  /**
   * How long the program may take to become ready.
   * @default 20000
   */
  readonly readyTimeoutMs?: number;
  /**
   * Signal that asks the program to shut down cleanly (`SIGINT` is PostgreSQL's "fast" shutdown).
   * @default 'SIGTERM'
   */
  readonly stopSignal?: NodeJS.Signals;
}

/** A program the supervisor started. */
export interface RunningProgram {
  readonly name: string;
  readonly pid: number;
  /** File holding the program's stdout and stderr. */
  readonly logFile: string;
}

interface Entry {
  readonly spec: ProgramSpec;
  readonly child: ChildProcess;
  readonly logFile: string;
  exited: Promise<void>;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
}

/** Every supervisor in this process, so an abrupt exit still stops their programs. */
const live = new Set<Supervisor>();
process.once('exit', () => {
  for (const supervisor of live) supervisor.killNow();
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const supervisor of live) supervisor.killNow();
    process.kill(process.pid, sig);
  });
}

/**
 * Starts programs, waits until they are ready, and stops every one of them again (by pid, and
 * only those it started). `stopAll` is meant for `afterAll`, so it runs even when a step failed;
 * a process `exit` hook kills whatever is left if the test runner goes away first.
 */
export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private readonly logs = new Map<string, string>();

  /** @param workDir a directory for the programs' logs (and default working directory). */
  constructor(public readonly workDir: string) {
    fs.mkdirSync(path.join(workDir, 'logs'), { recursive: true });
    live.add(this);
  }

  /** Starts a program and waits until it is ready; throws with its log tail when it is not. */
  public async start(spec: ProgramSpec): Promise<RunningProgram> {
    if (this.entries.has(spec.name)) throw new Error(`${spec.name} is already running`);
    const logFile = path.join(this.workDir, 'logs', `${spec.name}.log`);
    const fd = fs.openSync(logFile, 'a');
    fs.chmodSync(logFile, 0o666);
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd ?? this.workDir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: spec.cwd ?? this.workDir, LANG: 'C.UTF-8', ...spec.env },
      stdio: ['ignore', fd, fd],
      uid: spec.user?.uid,
      gid: spec.user?.gid,
    });
    fs.closeSync(fd);
    let spawnError: Error | undefined;
    child.on('error', (e) => (spawnError = e));
    const entry: Entry = { spec, child, logFile, exitCode: null, exitSignal: null, exited: Promise.resolve() };
    entry.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        entry.exitCode = code;
        entry.exitSignal = signal;
        resolve();
      }),
    );
    this.entries.set(spec.name, entry);
    this.logs.set(spec.name, logFile);

    const deadline = Date.now() + (spec.readyTimeoutMs ?? 20000);
    for (;;) {
      if (spawnError) throw this.failure(spec.name, `could not be started: ${spawnError.message}`);
      if (entry.exitCode !== null || entry.exitSignal !== null) {
        this.entries.delete(spec.name);
        throw this.failure(spec.name, `exited during start-up (code ${entry.exitCode}, signal ${entry.exitSignal})`);
      }
      let ready = false;
      try {
        ready = spec.ready ? await spec.ready() : true;
      } catch {
        ready = false;
      }
      if (ready) return { name: spec.name, pid: child.pid!, logFile };
      if (Date.now() > deadline) throw this.failure(spec.name, `was not ready within ${spec.readyTimeoutMs ?? 20000} ms`);
      await sleep(100);
    }
  }

  /** Adds lines to a program's log (output of its init steps), before or after it runs. */
  public note(name: string, text: string): void {
    const logFile = path.join(this.workDir, 'logs', `${name}.log`);
    fs.appendFileSync(logFile, text.endsWith('\n') ? text : `${text}\n`);
    this.logs.set(name, logFile);
  }

  /** True while the named program runs. */
  public isRunning(name: string): boolean {
    const entry = this.entries.get(name);
    return !!entry && entry.exitCode === null && entry.exitSignal === null;
  }

  /** Stops one program: its stop signal, then SIGKILL after `graceMs`. */
  public async stop(name: string, graceMs = 5000): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    if (entry.exitCode !== null || entry.exitSignal !== null) return;
    signal(entry.child, entry.spec.stopSignal ?? 'SIGTERM');
    const timer = setTimeout(() => signal(entry.child, 'SIGKILL'), graceMs);
    await entry.exited;
    clearTimeout(timer);
  }

  /** Stops every program this supervisor started, in reverse start order. Never throws. */
  public async stopAll(): Promise<void> {
    for (const name of [...this.entries.keys()].reverse()) {
      try {
        await this.stop(name);
      } catch {
        // keep stopping the others
      }
    }
    live.delete(this);
  }

  /** Kills every remaining program at once (synchronous; for the process `exit` hook). */
  public killNow(): void {
    for (const entry of this.entries.values()) signal(entry.child, 'SIGKILL');
    this.entries.clear();
  }

  /** The last `lines` lines of a program's log ('' when it never ran). */
  public logTail(name: string, lines = 20): string {
    const file = this.logs.get(name);
    if (!file || !fs.existsSync(file)) return '';
    const text = fs.readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  }

  /** Names of every program started so far (running or not). */
  public programs(): string[] {
    return [...this.logs.keys()];
  }

  private failure(name: string, what: string): Error {
    return new Error(`${name} ${what}\n--- last lines of ${name}'s log ---\n${this.logTail(name) || '(empty)'}`);
  }
}

function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(child.pid, sig);
  } catch {
    // already gone
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
