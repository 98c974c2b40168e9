/**
 * Masking of secret-like values in a manifest diff. A diff is posted in pull requests and job
 * summaries, so anything that may be a credential is replaced before it is rendered: whole values
 * under secret-like keys, Secret data, and credential-shaped text inside embedded config files.
 * Rendered manifests should never hold a secret (the policy tests forbid it); this is the second line.
 */

/** What a masked value is shown as. */
export const MASK = '•••';

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'credential', 'credentials', 'apikey']);
const SECRET_PAIRS = new Set([
  'api key',
  'master key',
  'salt key',
  'private key',
  'access key',
  'secret key',
  'signing key',
  'webhook url',
  'auth token',
]);

/** Splits `GF_SECURITY_ADMIN_PASSWORD`, `openai-api-key`, `masterKey` into lowercase words. */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * True for a key whose value is a credential: its last word is password, secret, token… or its last
 * two words are "api key", "master key", "webhook url"…. Names of references (`secretName`,
 * `secretKeyRef`) end in other words and are not masked.
 */
export function isSecretKey(key: string): boolean {
  const w = words(key);
  const last = w[w.length - 1] ?? '';
  return SECRET_WORDS.has(last) || (w.length >= 2 && SECRET_PAIRS.has(`${w[w.length - 2]} ${last}`));
}

/** A value that points at a secret rather than holding one: `os.environ/X`, `${X}`, `$(X)`, a file path. */
function isReference(value: string): boolean {
  return /^(os\.environ\/|\$\{|\$\(|\/|file:|env:)/.test(value.trim()) || value.trim() === '' || value.trim() === MASK;
}

/** Credential-shaped text wherever it appears. */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/\bsk-[A-Za-z0-9_-]{12,}/g, MASK],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, MASK],
  [/\bhttps:\/\/hooks\.slack\.com\/services\/\S+/g, MASK],
  // user:password@ in URLs keeps the user and hides the password.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi, `$1${MASK}@`],
];

/** Masks credential-shaped text within a line (`sk-` keys, JWTs, Slack webhooks, URL passwords). */
export function maskShapes(text: string): string {
  return SECRET_SHAPES.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

/**
 * Masks one line of an embedded config file: the value of a `key: value`, `key = value` or
 * `"key": "value"` whose key is secret-like (unless it is a reference), and credential shapes.
 */
export function maskLine(line: string): string {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(line)) return MASK;
  const match = /^(\s*(?:-\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*)(.+?)(\s*,?\s*)$/.exec(line);
  if (match && isSecretKey(match[2])) {
    const value = match[3].replace(/^["']|["']$/g, '');
    if (!isReference(value)) return `${match[1]}${MASK}${match[4]}`;
  }
  return maskShapes(line);
}

/**
 * Masks a multi-line text line by line, keeping the line count (so a line diff of the raw texts can
 * show the masked lines). Every line of a PEM private key block is masked.
 */
export function maskText(text: string): string {
  let inKey = false;
  return text
    .split('\n')
    .map((line) => {
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(line)) inKey = true;
      const masked = inKey ? MASK : maskLine(line);
      if (/-----END [A-Z ]*PRIVATE KEY-----/.test(line)) inKey = false;
      return masked;
    })
    .join('\n');
}

/**
 * Masks a leaf value given where it sits: everything under a Secret's `data`/`stringData`, string
 * values under secret-like keys (an env var's `value` counts under its variable's name), and
 * credential-shaped text anywhere. Numbers and booleans are never secrets, and neither are the
 * `publicValues` (names of Secrets and their keys, which every `secretKeyRef` shows anyway).
 */
export function maskLeaf(
  value: unknown,
  context: { readonly secretData: boolean; readonly key: string; readonly publicValues?: ReadonlySet<string> },
): unknown {
  if (typeof value !== 'string') return value;
  if (context.secretData) return MASK;
  if (isSecretKey(context.key) && !isReference(value) && !context.publicValues?.has(value)) return MASK;
  return value.includes('\n') ? maskText(value) : maskLine(value);
}
