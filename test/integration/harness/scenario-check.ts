import type { Supervisor } from './supervisor';
import { sleep } from './supervisor';

/** What a check is about, for its failure message. */
export interface CheckContext {
  /** The scenario, e.g. `dev · 2. Alerting`. */
  readonly scenario: string;
  /** The supervisor whose programs' logs are shown on failure. */
  readonly supervisor: Supervisor;
}

/** One assertion on what a real program answered. */
export interface Check<T> {
  /** What should hold, in words. */
  readonly expected: string;
  /** The program(s) that answered; the last lines of their logs go into the failure message. */
  readonly programs: readonly string[];
  /** Asks the program(s). */
  readonly ask: () => Promise<T> | T;
  /** True when the answer is the expected one. */
  readonly holds: (answer: T) => boolean;
  /**
   * Keep asking until the answer holds or this many milliseconds have passed.
   * @default 0 (ask once)
   */
  readonly withinMs?: number;
  /**
   * Pause between two questions.
   * @default 500
   */
  readonly everyMs?: number;
}

/** A failed scenario check: the scenario, the expectation, the answer and the programs' log tails. */
export class ScenarioFailure extends Error {
  constructor(context: CheckContext, expected: string, answer: string, programs: readonly string[]) {
    const logs = programs.map((p) => `--- last lines of ${p}'s log ---\n${context.supervisor.logTail(p, 15) || '(empty)'}`).join('\n');
    super(`[${context.scenario}]\nexpected: ${expected}\nthe program answered: ${answer}\n${logs}`);
    this.name = 'ScenarioFailure';
  }
}

/** Renders an answer for a failure message (JSON, shortened). */
export function showAnswer(answer: unknown, limit = 1500): string {
  const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
  if (text === undefined) return String(answer);
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}

/**
 * Asks until the answer holds (or once, without `withinMs`), and returns that answer. Otherwise
 * throws a ScenarioFailure naming the scenario, the expectation, the last answer (or the error
 * asking raised) and the last lines of the programs' logs.
 */
export async function verify<T>(context: CheckContext, check: Check<T>): Promise<T> {
  const deadline = Date.now() + (check.withinMs ?? 0);
  let last = '(no answer)';
  for (;;) {
    try {
      const answer = await check.ask();
      if (check.holds(answer)) return answer;
      last = showAnswer(answer);
    } catch (error) {
      last = `error: ${(error as Error).message}`;
    }
    if (Date.now() >= deadline) throw new ScenarioFailure(context, check.expected, last, check.programs);
    await sleep(check.everyMs ?? 500);
  }
}
