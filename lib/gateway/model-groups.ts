import { envVarName } from '../platform/env-var-name';
import type { GatewaySettings } from './config';

/**
 * Facts about the gateway that other components need, as pure functions over settings: which
 * model groups exist, which credential holds each workflow's virtual key, and how credentials map
 * to the proxy's environment variables.
 */

/** The gateway's model group names (the `model` values clients may ask for), sorted. */
export function gatewayModelGroups(settings: { readonly gateway: GatewaySettings }): string[] {
  return Object.keys(settings.gateway.modelGroups).sort();
}

/**
 * Id, in `security.credentials`, of the credential holding a workflow's gateway virtual key:
 * `workflow-<id>-gateway-key` (`_` as `-`). One key per workflow, because PraisonAI uses one
 * OPENAI_API_KEY per process and each workflow is one process.
 */
export function workflowGatewayKeyCredential(workflowId: string): string {
  return `workflow-${workflowId.replace(/_/g, '-')}-gateway-key`;
}

/** The LiteLLM provider of a provider-prefixed model: `openai/gpt-4o` → `openai`. */
export function providerOf(model: string): string {
  return model.slice(0, model.indexOf('/'));
}

/** The environment variable holding a credential in the proxy: `openai-api-key` → `OPENAI_API_KEY`. */
export function credentialEnvVar(credentialId: string): string {
  return envVarName(credentialId);
}

/** Every API-key credential the model deployments use, sorted and without duplicates. */
export function providerKeyCredentials(gateway: GatewaySettings): string[] {
  const ids = Object.values(gateway.modelGroups).flatMap((g) => g.deployments.map((d) => d.apiKeyCredential));
  return [...new Set(ids)].sort();
}

/** Stable id of a deployment (`model_info.id`), shared by every replica: `<group>-<n>`. */
export function deploymentId(group: string, index: number): string {
  return `${group}-${index + 1}`;
}

/** The highest number of gateway pods the settings allow. */
export function maxGatewayReplicas(gateway: GatewaySettings): number {
  return gateway.autoscaling ? gateway.autoscaling.maxReplicas : gateway.replicas;
}

/** The lowest number of gateway pods the settings keep running. */
export function minGatewayReplicas(gateway: GatewaySettings): number {
  return gateway.autoscaling ? gateway.autoscaling.minReplicas : gateway.replicas;
}

/**
 * TCP ports the gateway calls providers on: 443, plus any other port an `apiBase` names (an
 * `http://` base without a port means 80).
 */
export function providerEgressPorts(gateway: GatewaySettings): number[] {
  const ports = new Set<number>([443]);
  for (const group of Object.values(gateway.modelGroups)) {
    for (const d of group.deployments) {
      if (!d.apiBase) continue;
      const url = new URL(d.apiBase);
      ports.add(url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443);
    }
  }
  return [...ports].sort((a, b) => a - b);
}
