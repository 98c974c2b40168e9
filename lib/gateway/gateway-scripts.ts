import type { GatewayWorkflow } from './agent-model-groups';
import type { GatewaySettings } from './config';
import { credentialEnvVar, workflowGatewayKeyCredential } from './model-groups';

/**
 * Scripts the gateway's pods run, as text for a ConfigMap. They use only the Python standard
 * library, because the LiteLLM image has Python but no shell guarantees; each is small enough to
 * read in review and is run for real by the tests.
 */

/**
 * Waits until the database in `DATABASE_URL` accepts TCP connections, for at most
 * `WAIT_SECONDS`; exits 1 with a clear message otherwise. Prints the host, never the URL.
 */
export const WAIT_FOR_DATABASE_PY = `"""Wait until the spend-store database accepts connections (generated; see lib/gateway)."""
import os
import socket
import sys
import time
from urllib.parse import urlsplit

url = urlsplit(os.environ.get("DATABASE_URL", ""))
if not url.hostname:
    sys.exit("wait-for-database: DATABASE_URL is empty or has no host")
host, port = url.hostname, url.port or 5432
deadline = time.monotonic() + int(os.environ.get("WAIT_SECONDS", "300"))
attempt = 0
while True:
    attempt += 1
    try:
        socket.create_connection((host, port), timeout=3).close()
        print(f"wait-for-database: {host}:{port} is reachable (attempt {attempt})", flush=True)
        break
    except OSError as error:
        if time.monotonic() >= deadline:
            sys.exit(f"wait-for-database: {host}:{port} not reachable after {attempt} attempts: {error}")
        print(f"wait-for-database: {host}:{port} not reachable yet ({error}); retrying", flush=True)
        time.sleep(min(5, max(0.1, deadline - time.monotonic())))
`;

/**
 * Applies LiteLLM's database migrations and exits 1 unless they applied. LiteLLM's own entry
 * points (`prisma_migration.py`, `litellm --skip_server_startup`) discard the result and exit 0
 * when a migration fails; `ProxyExtrasDBManager.setup_database(use_migrate=True)` returns it
 * (contracts/litellm, `migrations.separateStep`). An exception (e.g. an unwritable
 * `LITELLM_MIGRATION_DIR`) also ends the step with a non-zero status.
 */
export const MIGRATE_DATABASE_PY = `"""Apply LiteLLM's database migrations; fail loudly (generated; see lib/gateway)."""
import sys

from litellm_proxy_extras.utils import ProxyExtrasDBManager

if ProxyExtrasDBManager.setup_database(use_migrate=True) is not True:
    sys.exit("migrate-database: LiteLLM's migrations did not apply (see the log above); the new pod stops here and the old pods keep serving")
print("migrate-database: migrations applied", flush=True)
`;

/**
 * Registers each workflow's virtual key with the gateway, idempotently: \`/key/update\` when the key
 * exists, \`/key/generate\` with the explicit key otherwise. Reads the keys to register from a JSON
 * file (\`$KEYS_FILE\`), each key's value from the environment variable it names, the master key
 * from \`LITELLM_MASTER_KEY\`. Waits for the gateway's readiness first; any failure exits 1.
 */
export const REGISTER_AGENT_KEYS_PY = `"""Register each workflow's LiteLLM virtual key (generated; see lib/gateway)."""
import json
import os
import sys
import time
import urllib.error
import urllib.request

gateway = os.environ["GATEWAY_URL"].rstrip("/")
master_key = os.environ["LITELLM_MASTER_KEY"]
deadline = time.monotonic() + int(os.environ.get("WAIT_SECONDS", "600"))


def call(method, path, body=None):
    request = urllib.request.Request(gateway + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", "Bearer " + master_key)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


while True:
    try:
        status, _ = call("GET", "/health/readiness")
    except OSError as error:
        status = str(error)
    if status == 200:
        break
    if time.monotonic() >= deadline:
        sys.exit(f"register-agent-keys: gateway {gateway} not ready: {status}")
    print(f"register-agent-keys: waiting for {gateway} ({status})", flush=True)
    time.sleep(5)

with open(os.environ["KEYS_FILE"], encoding="utf-8") as f:
    clients = json.load(f)
failed = []
for client in clients:
    key = os.environ.get(client["keyEnv"], "")
    if not key.startswith("sk-"):
        print(f"register-agent-keys: {client['client']}: {client['keyEnv']} must hold a key starting with sk-", flush=True)
        failed.append(client["client"])
        continue
    settings = {name: client[name] for name in ("key_alias", "max_budget", "budget_duration", "models", "metadata", "rpm_limit", "tpm_limit") if name in client}
    status, text = call("POST", "/key/update", {"key": key, **settings})
    action = "updated"
    if status != 200:
        status, text = call("POST", "/key/generate", {"key": key, **settings})
        action = "created"
    if status == 200:
        print(f"register-agent-keys: {client['client']}: {action} (alias {settings['key_alias']}, budget {settings['max_budget']} USD per {settings['budget_duration']})", flush=True)
    else:
        print(f"register-agent-keys: {client['client']}: failed with HTTP {status}: {text[:300]}", flush=True)
        failed.append(client["client"])
if failed:
    sys.exit("register-agent-keys: failed for " + ", ".join(failed))
print(f"register-agent-keys: {len(clients)} gateway keys registered", flush=True)
`;

/** One workflow's key registration, as the script reads it. */
export interface WorkflowKeyRegistration {
  /** The workflow id, for messages. */
  readonly client: string;
  /** Credential id holding the key's value. */
  readonly credential: string;
  /** Environment variable holding the key's value. */
  readonly keyEnv: string;
  /** The key's alias: the workflow id, the `api_key_alias` label of its calls. */
  readonly key_alias: string;
  readonly max_budget: number;
  readonly budget_duration: string;
  /** Gateway model names the key may call: its workflow's callers (`agent-<identity>`). */
  readonly models: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly rpm_limit?: number;
  readonly tpm_limit?: number;
}

/**
 * The key registrations: one per workflow of `gateway.workflowKeys` (alias = workflow id), in
 * workflow id order, each limited to the model names its workflow's callers use (`workflows`, from
 * the agents; a key of a workflow they do not declare may call nothing).
 */
export function workflowKeyRegistrations(gateway: GatewaySettings, workflows: readonly GatewayWorkflow[]): WorkflowKeyRegistration[] {
  return Object.entries(gateway.workflowKeys)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([workflowId, key]) => {
      const credential = workflowGatewayKeyCredential(workflowId);
      return {
        client: workflowId,
        credential,
        keyEnv: credentialEnvVar(credential),
        key_alias: workflowId,
        max_budget: key.maxBudget,
        budget_duration: key.budgetDuration,
        // Exactly the names its callers use (agent-<identity>): the key cannot call anything else.
        models: [...(workflows.find((w) => w.id === workflowId)?.models ?? [])],
        metadata: { workflow: workflowId, managed_by: 'suoke-life-platform' },
        ...(key.rpmLimit !== undefined ? { rpm_limit: key.rpmLimit } : {}),
        ...(key.tpmLimit !== undefined ? { tpm_limit: key.tpmLimit } : {}),
      };
    });
}
