/**
 * Cron schedules as Kubernetes' CronJob validation accepts them: robfig/cron v3's standard parser
 * (`ParseStandard`: five fields, or a descriptor such as `@hourly`), and no `TZ=`/`CRON_TZ=` prefix
 * (the API server refuses any `TZ` in a new CronJob's schedule and points at `spec.timeZone`).
 * The facts and their sources are in contracts/kubernetes/1.30.yaml (`cronSchedule`).
 */

/** One field of a five-field schedule: its name, bounds and the names it accepts. */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The five fields in order, with robfig/cron v3's bounds (spec.go). */
const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: WEEKDAYS },
];

/** The descriptors the standard parser accepts, as the five fields they stand for. */
export const CRON_DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A value of a field: a number, or (month, day of week) a name, case-insensitive. */
function valueOf(text: string, field: CronField): number | string {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return field.min + named;
  if (!/^[0-9]+$/.test(text)) return `"${text}" is ${field.names ? 'neither a number nor a name' : 'not a number'}`;
  return Number(text);
}

/** What is wrong with one range of a field (`*`, `5`, `1-5`, `*\/15`, `10/5`), if anything. */
function rangeProblem(expr: string, field: CronField): string | undefined {
  const [range, step, extra] = expr.split('/');
  if (extra !== undefined) return `"${expr}" has more than one "/"`;
  if (step !== undefined && !/^[0-9]+$/.test(step)) return `the step of "${expr}" is not a whole number`;
  if (step !== undefined && Number(step) === 0) return `the step of "${expr}" is 0`;
  if (range === '*' || range === '?') return undefined;
  const ends = range.split('-');
  if (ends.length > 2) return `"${expr}" has more than one "-"`;
  const values = ends.map((e) => valueOf(e, field));
  const bad = values.find((v) => typeof v === 'string');
  if (bad !== undefined) return bad as string;
  const start = values[0] as number;
  const end = ends.length === 2 ? (values[1] as number) : step !== undefined ? field.max : start;
  if (start < field.min || end > field.max) return `${start < field.min ? start : end} in "${expr}" is outside ${field.min}-${field.max}`;
  if (start > end) return `"${expr}" starts after it ends`;
  return undefined;
}

/**
 * What is wrong with a schedule, as an "expected …" text, or undefined when Kubernetes accepts it.
 * `@every <duration>` is refused although Kubernetes takes it: the CronJob is rendered from the
 * five fields (see `cronFields`).
 */
export function cronScheduleProblem(schedule: string): string | undefined {
  const accepted =
    'a cron schedule as Kubernetes accepts it: five fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or jan-dec, day of week 0-6 or sun-sat), each "*", a value, a range "a-b", a list "a,b" or a step "*/n", or one of ' +
    Object.keys(CRON_DESCRIPTORS).join(', ');
  if (schedule.includes('TZ'))
    return `${accepted}; no TZ= or CRON_TZ= (Kubernetes refuses it: the time zone is the CronJob's spec.timeZone)`;
  if (schedule.startsWith('@')) {
    if (schedule in CRON_DESCRIPTORS) return undefined;
    return schedule.startsWith('@every') ? `${accepted} (@every is not rendered here: the CronJob is written as five fields)` : accepted;
  }
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `${accepted}; this has ${fields.length} field(s)`;
  for (const [i, text] of fields.entries()) {
    const field = FIELDS[i];
    // Empty list items are skipped, as robfig/cron splits the list with strings.FieldsFunc.
    for (const expr of text.split(',').filter((e) => e !== '')) {
      const problem = rangeProblem(expr, field);
      if (problem) return `${accepted}; in the ${field.name} field (${field.min}-${field.max}), ${problem}`;
    }
  }
  return undefined;
}

/** The five fields of a valid schedule (a descriptor as the fields it stands for). */
export function cronFields(schedule: string): [string, string, string, string, string] {
  const fields = (CRON_DESCRIPTORS[schedule] ?? schedule).trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`not a five-field cron schedule: ${JSON.stringify(schedule)}`);
  return fields as [string, string, string, string, string];
}
