import { ContractSet } from '../../lib/contracts/contract';
import { REGISTER_AGENT_KEYS_PY } from '../../lib/gateway/gateway-scripts';
import { ENVIRONMENTS, objectsOf } from '../support/environments';

/**
 * The key registration Job sends LiteLLM's key API only request fields the pinned version reads
 * (`/key/generate`, `/key/update`: contracts/litellm, httpPaths.*.requestFields).
 */
const contract = ContractSet.load().require('litellm', 'main-v1.81.0-stable');

/** The fields the script copies from each registration into its request body, and the key itself. */
function fieldsTheScriptSends(): string[] {
  const copied = /for name in \(([^)]*)\) if name in/.exec(REGISTER_AGENT_KEYS_PY);
  if (!copied) throw new Error('the registration script no longer names the fields it sends');
  return ['key', ...copied[1].split(',').map((f) => f.trim().replace(/^"|"$/g, '')).filter(Boolean)];
}

test.each(['/key/generate', '/key/update'])('every field the registration sends to %s is one LiteLLM reads', (route) => {
  const accepted = contract.fact('httpPaths', route).requestFields as string[];
  expect(fieldsTheScriptSends().filter((f) => !accepted.includes(f))).toEqual([]);
});

test.each(ENVIRONMENTS)('%s: every rendered registration holds only fields the script sends or reads itself', (environment) => {
  const cm = objectsOf(environment).find((o) => o.kind === 'ConfigMap' && typeof o.data?.['keys.json'] === 'string');
  const registrations = JSON.parse(cm!.data['keys.json']) as Record<string, unknown>[];
  const own = ['client', 'credential', 'keyEnv'];
  const sent = fieldsTheScriptSends();
  expect(registrations.flatMap((r) => Object.keys(r).filter((k) => !sent.includes(k) && !own.includes(k)))).toEqual([]);
});
