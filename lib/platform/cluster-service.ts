import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';

/** One port of a ClusterService. */
export interface ServicePort {
  /** Port name; also the name of the container port it targets. */
  readonly name: string;
  /** Port the Service listens on. */
  readonly port: number;
}

/** Properties of a ClusterService. */
export interface ClusterServiceProps {
  /** Service name: the DNS name clients use. */
  readonly name: string;
  /** Labels of the pods behind the Service. */
  readonly selector: Readonly<Record<string, string>>;
  /** Ports; each targets the container port of the same name. */
  readonly ports: readonly ServicePort[];
  /**
   * A headless Service (for StatefulSet pod DNS).
   * @default false
   */
  readonly headless?: boolean;
}

/**
 * A ClusterIP Service whose ports target named container ports, so a port renumbering in the pod
 * never silently breaks it.
 */
export class ClusterService extends Construct {
  /** Service name. */
  public readonly name: string;
  /** Ports by name. */
  public readonly ports: readonly ServicePort[];

  constructor(scope: Construct, id: string, props: ClusterServiceProps) {
    super(scope, id);
    this.name = props.name;
    this.ports = props.ports;
    new k8s.KubeService(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        type: 'ClusterIP',
        clusterIp: props.headless ? 'None' : undefined,
        selector: { ...props.selector },
        ports: props.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' })),
      },
    });
  }

  /** The in-cluster URL of a port, e.g. `http://prometheus-service:9090`. */
  public url(portName?: string, scheme = 'http'): string {
    const port = portName ? this.ports.find((p) => p.name === portName) : this.ports[0];
    if (!port) throw new Error(`service ${this.name} has no port named ${portName}`);
    return `${scheme}://${this.name}:${port.port}`;
  }
}
