/** A wrong command line. The message says what is wrong; an empty message asks for the usage. */
export class UsageError extends Error {}

/** The options a command accepts. */
export interface CommandLineSpec {
  /**
   * Options that take one value (`--env prod`), with what to do with the value.
   * @default - none
   */
  readonly values?: Readonly<Record<string, (value: string) => void>>;
  /**
   * Options without a value (`--markdown`).
   * @default - none
   */
  readonly flags?: Readonly<Record<string, () => void>>;
  /**
   * Whether arguments that are not options are accepted (and returned).
   * @default false
   */
  readonly positional?: boolean;
}

/** What was read besides the options. */
export interface CommandLine {
  /** Arguments that are not options, in order. */
  readonly positional: readonly string[];
  /** True when `--help` or `-h` was given. */
  readonly help: boolean;
}

/**
 * Reads a command line against a spec, calling each option's handler. An unknown option, an
 * option without its value, or an unexpected positional argument throws a UsageError naming it.
 */
export function readCommandLine(argv: readonly string[], spec: CommandLineSpec): CommandLine {
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const takesValue = spec.values?.[arg];
    const flag = spec.flags?.[arg];
    if (takesValue) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      takesValue(value);
    } else if (flag) flag();
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('-') || !spec.positional) throw new UsageError(`unknown argument ${arg}`);
    else positional.push(arg);
  }
  return { positional, help };
}
