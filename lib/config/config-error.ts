/**
 * One problem found in an environment's configuration.
 *
 * Every problem names the file that holds the bad value, the dotted field path, what was expected
 * and what was found, so that an operator can fix it without reading code.
 */
export interface ConfigIssue {
  /** The config file to fix, relative to the working directory (e.g. `config/dev.yaml`). */
  readonly file: string;
  /** Dotted path of the field (e.g. `namespace.quota.pods`); empty for the whole document. */
  readonly path: string;
  /** What the field must be. */
  readonly expected: string;
  /** What the file holds instead, rendered briefly. */
  readonly found: string;
}

/** Renders one issue on one line: `file: path: expected …, found …`. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.path === '' ? issue.file : `${issue.file}: ${issue.path}`;
  return `${where}: expected ${issue.expected}, found ${issue.found}`;
}

/** Renders a value for an error message: short, single-line, and unambiguous about its type. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length} item(s)`;
  if (typeof value === 'object') return `a map with keys [${Object.keys(value as object).join(', ')}]`;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Thrown when one or more environments have configuration problems. Carries all of them. */
export class ConfigError extends Error {
  public readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${formatConfigIssue(i)}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
