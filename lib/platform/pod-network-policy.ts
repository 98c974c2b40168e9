import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';

/** A set of peers a policy allows traffic with. */
export interface NetworkPeer {
  /**
   * Pods selected by these labels (in the policy's namespace unless `namespaceLabels` is set).
   * @default - every pod of the selected namespaces
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Namespaces selected by these labels.
   * @default - the policy's own namespace
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /**
   * An IP block instead of pods, e.g. `0.0.0.0/0` for the internet.
   * @default - pods, not an IP block
   */
  readonly cidr?: string;
  /**
   * Ranges excluded from `cidr`.
   * @default - none
   */
  readonly except?: readonly string[];
}

/**
 * Peers that other components add after the policy is created: a workload built before its
 * clients (Redis before the gateway that uses it) lets them in by reference, `clients.add(peer)`.
 * The policy reads the list when its chart is rendered, so every component has been built by then.
 */
export class PeerList {
  private readonly peers: NetworkPeer[] = [];

  /** Lets `peer` in (or out) through the rules this list is part of. */
  public add(peer: NetworkPeer): void {
    this.peers.push(peer);
  }

  /** The peers added so far, in the order they were added. */
  public get all(): readonly NetworkPeer[] {
    return this.peers;
  }
}

/** A port allowed by a rule. */
export interface NetworkPort {
  /** Port number or container-port name. */
  readonly port: number | string;
  /**
   * Protocol.
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Peers and ports of one rule. */
export interface NetworkRule {
  /**
   * The peers, given or added later (PeerList), in this order. An empty list means any peer; a
   * rule with PeerLists that are still empty when the chart renders is left out instead (nothing
   * has asked to connect, so nothing may).
   */
  readonly peers: readonly (NetworkPeer | PeerList)[];
  /**
   * Ports; empty means all ports.
   * @default - all ports
   */
  readonly ports?: readonly NetworkPort[];
}

/** Properties of a PodNetworkPolicy. */
export interface PodNetworkPolicyProps {
  /** Policy name. */
  readonly name: string;
  /** Labels of the pods the policy applies to; empty selects every pod of the namespace. */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * Allowed ingress. When unset the policy does not govern ingress.
   * @default - ingress not governed by this policy
   */
  readonly ingress?: readonly NetworkRule[];
  /**
   * Allowed egress. When unset the policy does not govern egress.
   * @default - egress not governed by this policy
   */
  readonly egress?: readonly NetworkRule[];
}

function peerOf(peer: NetworkPeer): k8s.NetworkPolicyPeer {
  if (peer.cidr) return { ipBlock: { cidr: peer.cidr, except: peer.except ? [...peer.except] : undefined } };
  return {
    podSelector: peer.podLabels || !peer.namespaceLabels ? { matchLabels: { ...peer.podLabels } } : undefined,
    namespaceSelector: peer.namespaceLabels ? { matchLabels: { ...peer.namespaceLabels } } : undefined,
  };
}

/** A rule's peers as rendered, or undefined when the rule is left out (see NetworkRule.peers). */
function peersOf(rule: NetworkRule): k8s.NetworkPolicyPeer[] | undefined {
  const peers = rule.peers.flatMap((p) => (p instanceof PeerList ? p.all : [p]));
  const awaited = rule.peers.some((p) => p instanceof PeerList);
  if (peers.length === 0 && awaited) return undefined;
  return peers.map(peerOf);
}

function portsOf(ports: readonly NetworkPort[] | undefined): k8s.NetworkPolicyPort[] | undefined {
  return ports?.map((p) => ({
    port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port),
    protocol: p.protocol ?? 'TCP',
  }));
}

/**
 * An allow-list NetworkPolicy on top of the namespace's default deny. Policies are additive, so
 * each component states only what it needs; with no rules for a direction, it adds nothing there.
 */
export class PodNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: PodNetworkPolicyProps) {
    super(scope, id);
    const policyTypes = [...(props.ingress ? ['Ingress'] : []), ...(props.egress ? ['Egress'] : [])];
    if (policyTypes.length === 0) throw new Error(`NetworkPolicy ${props.name}: give ingress or egress rules`);
    // Rendered lazily: PeerLists fill up while later components are built.
    const rules = (list: readonly NetworkRule[]) =>
      list.flatMap((r) => {
        const peers = peersOf(r);
        return peers === undefined ? [] : [{ peers: peers.length ? peers : undefined, ports: portsOf(r.ports) }];
      });
    const { ingress, egress } = props;
    new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: { ...props.podLabels } },
        policyTypes,
        ingress:
          ingress &&
          (Lazy.any({
            produce: () => rules(ingress).map((r) => ({ from: r.peers, ports: r.ports })),
          }) as unknown as k8s.NetworkPolicyIngressRule[]),
        egress:
          egress &&
          (Lazy.any({
            produce: () => rules(egress).map((r) => ({ to: r.peers, ports: r.ports })),
          }) as unknown as k8s.NetworkPolicyEgressRule[]),
      },
    });
  }
}
