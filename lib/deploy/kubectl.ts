import { type ChildProcess, execFile, spawn } from 'node:child_process';

/** What one kubectl call gave back. */
export interface KubectlResult {
  /** Exit status; -1 when kubectl could not be started. */
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when kubectl is not on PATH. */
  readonly missing?: boolean;
}

/** Options of one kubectl call. */
export interface KubectlCall {
  /**
   * Written to kubectl's stdin (manifests, Secret values); never on the command line.
   * @default - no input
   */
  readonly input?: string;
  /**
   * Let kubectl's stdout and stderr through to the operator's terminal (apply, diff, rollout).
   * @default false
   */
  readonly inherit?: boolean;
}

/**
 * kubectl through `child_process` (no shell): every argument is passed as is, so no name or value
 * is ever interpreted by a shell. With a context, every call names it explicitly (`--context`), so
 * switching contexts in another terminal cannot redirect a running deploy; with a namespace too.
 */
export class Kubectl {
  constructor(
    /** Arguments put before every call's own: `--context <c>` and `--namespace <ns>`. */
    public readonly prefix: readonly string[] = [],
    /** The program to run. @default 'kubectl' */
    private readonly program = 'kubectl',
  ) {}

  /** The same kubectl, pinned to a context. */
  public inContext(context: string): Kubectl {
    return new Kubectl([...this.prefix, '--context', context], this.program);
  }

  /** The same kubectl, pinned to a namespace as well. */
  public inNamespace(namespace: string): Kubectl {
    return new Kubectl([...this.prefix, '--namespace', namespace], this.program);
  }

  /** Runs one call to the end. Never throws for a failing kubectl: read `status`. */
  public run(args: readonly string[], call: KubectlCall = {}): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        this.program,
        [...this.prefix, ...args],
        { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (call.inherit) {
            process.stdout.write(stdout);
            process.stderr.write(stderr);
          }
          const code = (error as NodeJS.ErrnoException | null)?.code;
          if (code === 'ENOENT') resolve({ status: -1, stdout: '', stderr: `${this.program}: not found`, missing: true });
          else resolve({ status: error ? (typeof code === 'number' ? code : (child.exitCode ?? 1)) : 0, stdout, stderr });
        },
      );
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(call.input ?? '');
    });
  }

  /** Starts a long-running call (port-forward); the caller stops it. */
  public start(args: readonly string[]): ChildProcess {
    return spawn(this.program, [...this.prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** The command line an operator would type for a call, for messages. */
  public describe(...args: string[]): string {
    return [this.program, ...this.prefix, ...args].join(' ');
  }
}
