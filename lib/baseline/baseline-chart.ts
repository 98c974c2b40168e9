import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import { NamespaceBaseline } from '../platform/namespace-baseline';
import { PlatformChart } from '../platform/platform-chart';
import type { PlatformSettings } from '../platform/platform-settings';
import type { NamespaceSettings } from './config';

/**
 * The namespace and its guard rails. Rendered first (`00-baseline`) so that
 * `kubectl apply -f dist/<env>/` creates the Namespace before anything that lives in it.
 */
export class BaselineChart extends PlatformChart {
  /** The namespace, its default-deny policies, quota and limits. */
  public readonly baseline: NamespaceBaseline;

  constructor(scope: Construct, environment: EnvironmentConfig<PlatformSettings & { namespace: NamespaceSettings }>) {
    super(scope, 'baseline', { environment, fileName: '00-baseline', namespaced: false, component: 'baseline' });
    const ns = environment.settings.namespace;
    this.baseline = new NamespaceBaseline(this, 'Namespace', {
      name: ns.name,
      quota: {
        'requests.cpu': ns.quota.requestsCpu,
        'requests.memory': ns.quota.requestsMemory,
        'limits.cpu': ns.quota.limitsCpu,
        'limits.memory': ns.quota.limitsMemory,
        'requests.storage': ns.quota.requestsStorage,
        pods: ns.quota.pods,
        persistentvolumeclaims: ns.quota.persistentVolumeClaims,
        services: ns.quota.services,
        configmaps: ns.quota.configMaps,
      },
      limits: ns.limitRange,
    });
  }
}
