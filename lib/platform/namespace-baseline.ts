import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CLUSTER_REQUIREMENTS } from './cluster-requirements';

/** Pod Security Standards version the namespace pins: that of the oldest Kubernetes minor we support. */
const POD_SECURITY_VERSION = `v${CLUSTER_REQUIREMENTS.kubernetes.version}`;

/** Properties of a NamespaceBaseline. */
export interface NamespaceBaselineProps {
  /** Namespace name. */
  readonly name: string;
  /** ResourceQuota hard limits, as Kubernetes quantities keyed by quota resource name. */
  readonly quota: Readonly<Record<string, string | number>>;
  /** Container defaults and maximum for the LimitRange. */
  readonly limits: {
    readonly defaultRequest: Readonly<Record<string, string>>;
    readonly defaultLimit: Readonly<Record<string, string>>;
    readonly max: Readonly<Record<string, string>>;
    /** @default - no minimum */
    readonly min?: Readonly<Record<string, string>>;
    /** @default - no ratio */
    readonly maxLimitRequestRatio?: Readonly<Record<string, string | number>>;
  };
  /**
   * Labels of the cluster DNS pods that every pod may reach on port 53.
   * @default - `k8s-app: kube-dns` in namespace `kube-system` (CoreDNS and kube-dns both carry it)
   */
  readonly dnsPodLabels?: Readonly<Record<string, string>>;
}

/**
 * Quantities as strings, counts included: the Kubernetes OpenAPI types a Quantity as a string, and
 * strict schema validation (contracts/kubernetes) holds the output to it.
 */
function quantities(values: Readonly<Record<string, string | number>>): Record<string, k8s.Quantity> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k8s.Quantity.fromString(String(v))]));
}

/**
 * What every environment gets before any workload: the Namespace, enforcing the restricted Pod
 * Security profile; default-deny NetworkPolicies for ingress and egress with an explicit DNS
 * allow; a ResourceQuota and a LimitRange.
 */
export class NamespaceBaseline extends Construct {
  /** Namespace name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    super(scope, id);
    this.name = props.name;
    const namespace = props.name;
    new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': POD_SECURITY_VERSION,
        },
      },
    });
    new k8s.KubeNetworkPolicy(this, 'DefaultDenyIngress', {
      metadata: { name: 'default-deny-ingress', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    new k8s.KubeNetworkPolicy(this, 'DefaultDenyEgress', {
      metadata: { name: 'default-deny-egress', namespace },
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    });
    const dns = [53].flatMap((port) => (['UDP', 'TCP'] as const).map((protocol) => ({ port: k8s.IntOrString.fromNumber(port), protocol })));
    new k8s.KubeNetworkPolicy(this, 'AllowDnsEgress', {
      metadata: { name: 'allow-dns-egress', namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { ...(props.dnsPodLabels ?? { 'k8s-app': 'kube-dns' }) } },
              },
            ],
            ports: dns,
          },
        ],
      },
    });
    new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: { name: 'platform-quota', namespace },
      spec: { hard: quantities(props.quota) },
    });
    new k8s.KubeLimitRange(this, 'Limits', {
      metadata: { name: 'container-limits', namespace },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: quantities(props.limits.defaultRequest),
            default: quantities(props.limits.defaultLimit),
            max: quantities(props.limits.max),
            min: props.limits.min && quantities(props.limits.min),
            maxLimitRequestRatio: props.limits.maxLimitRequestRatio && quantities(props.limits.maxLimitRequestRatio),
          },
        ],
      },
    });
  }
}
