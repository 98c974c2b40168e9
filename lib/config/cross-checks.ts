/** A problem that involves more than one field, found after the schema itself is satisfied. */
export interface CrossFieldProblem {
  /** Path of the field to fix. */
  readonly path: readonly (string | number)[];
  /** What the field must be. */
  readonly expected: string;
  /** What was found, already rendered. */
  readonly found: string;
}

/**
 * A rule over a whole environment's settings that the schema cannot express (a reference to a name
 * defined elsewhere, say), run once the schema is satisfied. Receives the environment name too, for
 * rules that apply only to some environments. The loader knows no rule: its caller passes them.
 */
export type SettingsCheck<T> = (settings: T, environment: string) => readonly CrossFieldProblem[];
