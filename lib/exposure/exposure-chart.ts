import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import type { AccessPoint } from '../platform/deploy-targets';
import { PlatformChart } from '../platform/platform-chart';
import type { PlatformSettings } from '../platform/platform-settings';
import { type NetworkPeer, PodNetworkPolicy } from '../platform/pod-network-policy';
import type { ExposureSettings } from './config';
import type { ExposedService } from './exposed-service';
import { ServiceIngress } from './service-ingress';
import { ServiceRoute } from './service-route';

/** What the exposure chart reads of the settings. */
export type ExposureChartReads = PlatformSettings & { readonly exposure: ExposureSettings };

/** Properties of an ExposureChart. */
export interface ExposureChartProps {
  /** The services to expose, each with its host (at least one). */
  readonly services: readonly ExposedService[];
}

/** The scheme clients use to reach an exposed host. */
function schemeOf(exposure: ExposureSettings): string {
  if (exposure.mode === 'httpRoute') return exposure.httpRoute?.scheme ?? 'http';
  return exposure.ingress?.tls ? 'https' : 'http';
}

/**
 * The way in from outside the cluster (`50-exposure`): per exposed service an Ingress or an
 * HTTPRoute for its host, and a NetworkPolicy that lets the controller's pods in on that service's
 * port only (the namespace's default deny keeps everything else out).
 */
export class ExposureChart extends PlatformChart {
  /** How an operator reaches each exposed service from outside the cluster. */
  public readonly accessPoints: readonly AccessPoint[];

  constructor(scope: Construct, environment: EnvironmentConfig<ExposureChartReads>, props: ExposureChartProps) {
    super(scope, 'exposure', { environment, fileName: '50-exposure', component: 'exposure' });
    const exposure = environment.settings.exposure;
    const { controller, ingress, httpRoute } = exposure;
    if (!controller) throw new Error('exposure.controller is required when something is exposed (a config check refuses its absence)');
    const controllerPods: NetworkPeer = {
      namespaceLabels: { 'kubernetes.io/metadata.name': controller.namespace },
      podLabels: controller.podLabels,
    };
    for (const service of props.services) {
      const scope = new Construct(this, service.name);
      if (exposure.mode === 'ingress' && ingress) {
        new ServiceIngress(scope, 'Ingress', { service, className: ingress.className, tls: ingress.tls });
      } else if (exposure.mode === 'httpRoute' && httpRoute) {
        new ServiceRoute(scope, 'Route', { service, gateway: httpRoute.gateway });
      }
      new PodNetworkPolicy(scope, 'NetworkPolicy', {
        name: `${service.name}-from-ingress`,
        podLabels: service.podLabels,
        ingress: [{ peers: [controllerPods], ports: [{ port: service.endpoint.portName }] }],
      });
    }
    const scheme = schemeOf(exposure);
    this.accessPoints = props.services.map((s) => ({
      label: `${s.label} (exposed)`,
      endpoint: s.endpoint,
      url: `${scheme}://${s.host}/`,
      credentials: s.credentials,
    }));
  }
}
