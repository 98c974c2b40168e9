import { Construct } from 'constructs';
import type { PodScrapeTarget } from '../platform/monitoring-contribution';
import { NetworkRule, PodNetworkPolicy, type NetworkPeer } from '../platform/pod-network-policy';
import { ALERTMANAGER_ENDPOINT, ALERTMANAGER_MESH_PORT } from './alertmanager';
import type { MonitoringSettings } from './config';
import { GRAFANA_ENDPOINT } from './grafana';
import { PROMETHEUS_ENDPOINT } from './prometheus';

/** Pods a policy is about, by their selector labels. */
export interface PodNetworkPeer {
  /** Selector labels of the pods. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Properties of MonitoringNetworkPolicies. */
export interface MonitoringNetworkPoliciesProps {
  /** The `monitoring` settings. */
  readonly settings: MonitoringSettings;
  /** Pod selectors of the stack's workloads. */
  readonly prometheus: PodNetworkPeer;
  readonly alertmanager: PodNetworkPeer;
  readonly grafana: PodNetworkPeer;
  /**
   * kube-state-metrics, when it runs.
   * @default - not running
   */
  readonly kubeStateMetrics?: PodNetworkPeer;
  /** Everything Prometheus scrapes. */
  readonly scrapeTargets: readonly PodScrapeTarget[];
  /** Whether the Alertmanager replicas gossip. */
  readonly alertmanagerClustered: boolean;
}

/**
 * The allow-lists of the monitoring stack on top of the namespace's default deny: Prometheus to
 * its scrape targets, Alertmanager and the API server; Grafana to Prometheus; Alertmanager to its
 * receivers and peers; kube-state-metrics to the API server. (DNS egress is allowed namespace-wide.)
 */
export class MonitoringNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: MonitoringNetworkPoliciesProps) {
    super(scope, id);
    const s = props.settings;
    const apiServer = apiServerRule(s.apiServer);
    const scrape: NetworkRule[] = props.scrapeTargets.map((t) => ({
      peers: [{ podLabels: t.podLabels }],
      ports: (t.portName ? [t.portName] : (t.egressPorts ?? [])).map((port) => ({ port })),
    }));
    new PodNetworkPolicy(this, 'Prometheus', {
      name: 'prometheus',
      podLabels: props.prometheus.labels,
      ingress: [
        {
          peers: [{ podLabels: props.grafana.labels }, { podLabels: props.prometheus.labels }],
          ports: [{ port: PROMETHEUS_ENDPOINT.portName }],
        },
      ],
      egress: [
        ...scrape,
        // Pods scraped through `prometheus.io/*` annotations expose a port named `metrics`.
        { peers: [{ podLabels: {} }], ports: [{ port: 'metrics' }] },
        { peers: [{ podLabels: props.alertmanager.labels }], ports: [{ port: ALERTMANAGER_ENDPOINT.portName }] },
        apiServer,
        ...(s.prometheus.cadvisor.enabled
          ? [
              {
                peers: [{ cidr: s.prometheus.cadvisor.kubelets.cidr }],
                ports: s.prometheus.cadvisor.kubelets.ports.map((port) => ({ port })),
              },
            ]
          : []),
      ],
    });
    const mesh = [
      { port: ALERTMANAGER_MESH_PORT, protocol: 'TCP' as const },
      { port: ALERTMANAGER_MESH_PORT, protocol: 'UDP' as const },
    ];
    new PodNetworkPolicy(this, 'Alertmanager', {
      name: 'alertmanager',
      podLabels: props.alertmanager.labels,
      ingress: [
        { peers: [{ podLabels: props.prometheus.labels }], ports: [{ port: ALERTMANAGER_ENDPOINT.portName }] },
        ...(props.alertmanagerClustered ? [{ peers: [{ podLabels: props.alertmanager.labels }], ports: mesh }] : []),
      ],
      egress: [
        // Receivers: webhook and Slack over HTTPS, e-mail over SMTP submission.
        { peers: [{ cidr: s.alertmanager.egress.cidr }], ports: s.alertmanager.egress.ports.map((port) => ({ port })) },
        ...(props.alertmanagerClustered ? [{ peers: [{ podLabels: props.alertmanager.labels }], ports: mesh }] : []),
      ],
    });
    new PodNetworkPolicy(this, 'Grafana', {
      name: 'grafana',
      podLabels: props.grafana.labels,
      ingress: [
        { peers: [{ podLabels: props.prometheus.labels }], ports: [{ port: GRAFANA_ENDPOINT.portName }] },
        ...(s.grafana.allowFromNamespaces?.length
          ? [
              {
                peers: s.grafana.allowFromNamespaces.map((ns) => ({ namespaceLabels: { 'kubernetes.io/metadata.name': ns } })),
                ports: [{ port: GRAFANA_ENDPOINT.portName }],
              },
            ]
          : []),
      ],
      egress: [{ peers: [{ podLabels: props.prometheus.labels }], ports: [{ port: PROMETHEUS_ENDPOINT.portName }] }],
    });
    if (props.kubeStateMetrics) kubeStateMetricsPolicy(this, props.kubeStateMetrics, { podLabels: props.prometheus.labels }, s.apiServer);
  }
}

/** kube-state-metrics' policy: `scraper` in on its metrics port, out to the API server only. */
export function kubeStateMetricsPolicy(
  scope: Construct,
  kubeStateMetrics: PodNetworkPeer,
  scraper: NetworkPeer,
  apiServer: MonitoringSettings['apiServer'],
): PodNetworkPolicy {
  return new PodNetworkPolicy(scope, 'KubeStateMetrics', {
    name: 'kube-state-metrics',
    podLabels: kubeStateMetrics.labels,
    ingress: [{ peers: [scraper], ports: [{ port: 'metrics' }] }],
    egress: [apiServerRule(apiServer)],
  });
}

/** Egress to the Kubernetes API server. */
function apiServerRule(apiServer: MonitoringSettings['apiServer']): NetworkRule {
  return { peers: [{ cidr: apiServer.cidr }], ports: apiServer.ports.map((port) => ({ port })) };
}
