import { z } from 'zod';
import { cronScheduleProblem } from './cron-schedule';

/**
 * Reusable field types for the environment schema. Each carries, as its error message, a description
 * of what is expected, so that config errors read "expected <that>, found <value>".
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A Kubernetes object name that is a DNS-1123 label: lowercase alphanumerics and '-', 1–63 chars. */
export const dnsLabel = z.string({ error: 'a string' }).regex(DNS1123_LABEL, {
  error: "a DNS-1123 label (lowercase letters, digits and '-', starting and ending alphanumeric, at most 63 characters)",
});

/** A CPU quantity, in millicores (`250m`) or cores (`1`, `0.5`). */
export const cpuQuantity = z
  .string({ error: 'a CPU quantity string such as "250m" or "1"' })
  .regex(/^([1-9][0-9]*m|[0-9]+(\.[0-9]{1,3})?)$/, {
    error: 'a Kubernetes CPU quantity such as "250m" or "1"',
  });

/** A memory or storage quantity with a binary suffix (`512Mi`, `2Gi`). */
export const byteQuantity = z.string({ error: 'a byte quantity string such as "512Mi" or "2Gi"' }).regex(/^[1-9][0-9]*(Ki|Mi|Gi|Ti)$/, {
  error: 'a Kubernetes byte quantity with a binary suffix, such as "512Mi" or "2Gi"',
});

/** A whole number of at least `min`. */
export function wholeNumber(min = 0, max?: number) {
  const range = max === undefined ? `>= ${min}` : `between ${min} and ${max}`;
  const base = z.number({ error: `a whole number ${range}` }).int({ error: `a whole number ${range}` });
  const bounded = base.min(min, { error: `a whole number ${range}` });
  return max === undefined ? bounded : bounded.max(max, { error: `a whole number ${range}` });
}

/** Seconds per unit; `mo` (30 days here, for range checks) is LiteLLM's calendar month, allowed only where a field lists it. */
const DURATION_UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000, mo: 2592000 } as const;

/** A unit of a duration string. */
export type DurationUnit = keyof typeof DURATION_UNIT_SECONDS;

/** The units of Go and Prometheus durations: every field's units unless it lists its own. */
const GO_UNITS: readonly DurationUnit[] = ['ms', 's', 'm', 'h', 'd', 'w', 'y'];

/** The syntax every duration in the config uses: whole numbers with units, no spaces. */
export const DURATION_PATTERN = /^([0-9]+(ms|s|mo|m|h|d|w|y))+$/;

/** One number and unit of a duration. */
const DURATION_TERM = /([0-9]+)(ms|s|mo|m|h|d|w|y)/g;

/** What every duration field expects; a field with limits adds them after a semicolon. */
export const DURATION_EXPECTED = 'a duration such as "30s", "5m" or "1h" (whole numbers with units ms, s, m, h, d, w or y)';

/** Exact seconds of a valid duration string (`1h30m` → 5400, `500ms` → 0.5). */
export function secondsOf(value: string): number {
  let total = 0;
  for (const [, n, u] of value.matchAll(DURATION_TERM)) total += Number(n) * DURATION_UNIT_SECONDS[u as DurationUnit];
  return total;
}

/** Whole seconds of a validated `duration` such as `30s`, `2m` or `1h30m` (at least 1). */
export function durationSeconds(value: string): number {
  return Math.max(1, Math.round(secondsOf(value)));
}

/** What the program reading a duration field restricts, beyond the shared syntax. */
export interface DurationLimits {
  /** The only units allowed; `mo` only where the program reads calendar months. @default - all of ms, s, m, h, d, w, y */
  readonly units?: readonly DurationUnit[];
  /** One number and one unit only (`90m`, not `1h30m`). @default false */
  readonly singleUnit?: boolean;
  /** The shortest allowed duration. @default - no minimum */
  readonly min?: string;
  /** The longest allowed duration. @default - no maximum */
  readonly max?: string;
  /** Who imposes the limits, named in the error, e.g. `kubectl's --timeout takes no d`. @default - none named */
  readonly reason?: string;
}

/** The limits as the clause of the "expected" text, or '' when there are none. */
function limitsText(limits: DurationLimits): string {
  const parts = [
    limits.singleUnit ? 'one number and one unit' : '',
    limits.units ? `units ${limits.units.join(', ')} only` : '',
    limits.min !== undefined && limits.max !== undefined
      ? `between ${limits.min} and ${limits.max}`
      : limits.min !== undefined
        ? `at least ${limits.min}`
        : limits.max !== undefined
          ? `at most ${limits.max}`
          : '',
  ].filter(Boolean);
  if (parts.length === 0) return '';
  return `; here ${parts.join(', ')}${limits.reason ? ` (${limits.reason})` : ''}`;
}

/** Whether a duration that has the shared syntax is within the limits. */
function withinLimits(value: string, limits: DurationLimits): boolean {
  const terms = [...value.matchAll(DURATION_TERM)].map((m) => m[2] as DurationUnit);
  if (limits.singleUnit && terms.length !== 1) return false;
  const units = limits.units ?? GO_UNITS;
  if (terms.some((u) => !units.includes(u))) return false;
  if (limits.min !== undefined && secondsOf(value) < secondsOf(limits.min)) return false;
  return limits.max === undefined || secondsOf(value) <= secondsOf(limits.max);
}

/**
 * The one field type of every time span in the config: a Go/Prometheus-style duration string
 * (`30s`, `5m`, `1h30m`, `7d`), optionally restricted where the reading program restricts it.
 * Renderers convert it to what each program reads (`secondsOf`, `durationSeconds`).
 */
export function durationField(limits: DurationLimits = {}) {
  const expected = `${DURATION_EXPECTED}${limitsText(limits)}`;
  return z
    .string({ error: expected })
    .regex(DURATION_PATTERN, { error: expected })
    .check((ctx) => {
      if (DURATION_PATTERN.test(ctx.value) && !withinLimits(ctx.value, limits)) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: expected });
      }
    });
}

/** A duration without limits: `30s`, `5m`, `1h`, `7d`. */
export const duration = durationField();

/** A TCP port number. */
export const portNumber = wholeNumber(1, 65535);

/** A non-empty single-line string. */
export const text = z.string({ error: 'a string' }).min(1, { error: 'a non-empty string' });

/** A boolean. */
export const flag = z.boolean({ error: 'true or false' });

/** One of the given string values. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of: ${values.join(', ')}` });
}

/** A map whose unknown keys are rejected (and reported with the closest known key). */
export function section<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape);
}

/** A container image pinned by tag (never `latest`) or digest, with an explicit pull policy. */
export const imageConfig = section({
  /** Registry and repository, e.g. `docker.io/redis`. */
  repository: z.string({ error: 'an image repository such as "docker.io/redis"' }).regex(/^[a-z0-9]([a-z0-9._\-/:]*[a-z0-9])?$/, {
    error: 'an image repository without tag, such as "docker.io/redis"',
  }),
  /** A fixed version tag. */
  tag: z
    .string({ error: 'an image tag such as "7.4.1"' })
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'an image tag such as "7.4.1"' })
    .refine((t) => !/^(latest|main|master|stable|lts|main-latest|main-stable)$/.test(t), {
      error: 'a fixed version tag, not a moving one such as "latest"',
    }),
  /** Optional digest that pins the exact image (`sha256:…`). */
  digest: z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/, { error: 'a digest "sha256:<64 hex>"' })
    .optional(),
  /** Pull policy; `Never` is refused because a node could run a stale image. */
  pullPolicy: oneOf(['IfNotPresent', 'Always']),
});
export type ImageConfig = z.infer<typeof imageConfig>;

/** CPU and memory for one side (requests or limits). */
export const computeQuantities = section({ cpu: cpuQuantity, memory: byteQuantity });
export type ComputeQuantities = z.infer<typeof computeQuantities>;

/** A Kubernetes quantity as a number (cores, bytes), for comparisons of validated quantities. */
export function quantityNumber(quantity: string): number {
  const match = /^([0-9.]+)(m|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!match) throw new Error(`not a quantity: ${quantity}`);
  const scale: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(match[1]) * (match[2] ? scale[match[2]] : 1);
}

/**
 * Requests and limits of one container, both required. A limit below its request is refused, as
 * the API server refuses such a pod (`must be less than or equal to … limit`).
 */
export const resourcesConfig = section({ requests: computeQuantities, limits: computeQuantities }).check((ctx) => {
  for (const resource of ['cpu', 'memory'] as const) {
    const { requests, limits } = ctx.value;
    if (quantityNumber(limits[resource]) < quantityNumber(requests[resource])) {
      ctx.issues.push({
        code: 'custom',
        input: limits[resource],
        path: ['limits', resource],
        message: `a limit at least the request (requests.${resource}: ${requests[resource]})`,
      });
    }
  }
});

/** A cron schedule as a Kubernetes CronJob accepts it (see cron-schedule.ts). */
export const cronSchedule = z.string({ error: 'a cron schedule such as "0 3 * * *"' }).check((ctx) => {
  const problem = cronScheduleProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
});
export type ResourcesConfig = z.infer<typeof resourcesConfig>;
