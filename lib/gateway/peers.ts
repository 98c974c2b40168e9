import { AGENT_CLIENT_LABEL } from '../agents/agent-monitoring';
import type { NetworkPeer } from '../platform/pod-network-policy';
import { selectorLabels } from '../platform/labels';
import { PROMETHEUS_NAME } from '../monitoring/stack-monitoring';

/**
 * Names of the gateway-side workloads (`app.kubernetes.io/name` of their pods) and the network
 * peers built from them, shared by the gateway, Redis and PostgreSQL policies.
 */
export const WORKLOAD_NAMES = {
  gateway: 'litellm-gateway',
  agentKeys: 'litellm-agent-keys',
  redis: 'redis',
  postgres: 'postgres',
  postgresBackup: 'postgres-backup',
  /** postgres_exporter watching an external database (in the cluster it is a sidecar of `postgres`). */
  postgresExporter: 'postgres-exporter',
  /** Built by the monitoring stack, which owns the name. */
  prometheus: PROMETHEUS_NAME,
} as const;

/** Pods of one of the workloads above, in the environment. */
export function workloadPeer(workload: keyof typeof WORKLOAD_NAMES, environment: string): NetworkPeer {
  return { podLabels: selectorLabels(WORKLOAD_NAMES[workload], environment) };
}

/** Every agent workload: the agents put this label on their pods. */
export const AGENT_CLIENTS: NetworkPeer = { podLabels: { [AGENT_CLIENT_LABEL]: 'true' } };

/** Prometheus pod annotations for a scrape target. */
export function scrapeAnnotations(port: number, path: string): Record<string, string> {
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': path };
}
