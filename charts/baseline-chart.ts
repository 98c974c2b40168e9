import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../lib/config/schema';
import { NamespaceBaseline } from '../lib/platform/namespace-baseline';
import { PlatformChart } from '../lib/platform/platform-chart';

/**
 * The namespace and its guard rails. Rendered first (`00-baseline`) so that
 * `kubectl apply -f dist/<env>/` creates the Namespace before anything that lives in it.
 */
export class BaselineChart extends PlatformChart {
  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'baseline', { environment, fileName: '00-baseline', namespaced: false, component: 'baseline' });
    const ns = environment.settings.namespace;
    new NamespaceBaseline(this, 'namespace', {
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
      limits: { defaultRequest: ns.limitRange.defaultRequest, defaultLimit: ns.limitRange.defaultLimit, max: ns.limitRange.max },
    });
  }
}
