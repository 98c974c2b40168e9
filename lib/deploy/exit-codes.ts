/** Exit statuses of `npm run deploy` (the same as the bash script had; docs/deploy.md lists them). */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  prerequisite: 3,
  context: 4,
  notConfirmed: 5,
  secrets: 6,
  apply: 7,
  rollout: 8,
  health: 9,
  differences: 10,
} as const;

/** The exit status table printed by `--help` and documented in docs/deploy.md. */
export const EXIT_MEANINGS: readonly (readonly [number, string])[] = [
  [EXIT.ok, 'deployed and healthy (--dry-run: accepted; --diff: no differences)'],
  [EXIT.failed, 'unexpected failure'],
  [EXIT.usage, 'usage error or unknown environment'],
  [EXIT.prerequisite, 'a prerequisite is missing: kubectl, the cluster or one of its prerequisites, valid config/ or dist/<env>/'],
  [EXIT.context, "the current kube context is not the environment's; nothing was touched"],
  [EXIT.notConfirmed, 'confirmation required and not given; nothing was applied'],
  [EXIT.secrets, 'required Secrets are missing (only the Namespace may have been created)'],
  [EXIT.apply, 'the cluster rejected the apply, dry run or diff'],
  [EXIT.rollout, 'a rollout failed or timed out'],
  [EXIT.health, 'a health check failed'],
  [EXIT.differences, '--diff found differences'],
];

/** Stops the deploy with an exit status; each message is printed as an `error:` line. */
export class DeployStop extends Error {
  constructor(
    public readonly status: number,
    public readonly messages: readonly string[],
  ) {
    super(messages.join('\n'));
    this.name = 'DeployStop';
  }
}

/** Stops with `status`, printing each message as `error: <message>`. */
export function stop(status: number, ...messages: string[]): never {
  throw new DeployStop(status, messages);
}
