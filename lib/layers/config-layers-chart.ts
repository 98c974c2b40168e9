import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import { Component } from '../platform/component';
import { PlatformChart } from '../platform/platform-chart';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import type { ConfigLayers } from './config-layers';
import { ExternalSecretMapping } from './external-secret-mapping';
import { LAYER_BASE_NAMES, LAYER_NAMES, type LayerSettings } from './layer-data';
import { requiredSecrets } from './required-secrets';

/** Properties of a ConfigLayersChart. */
export interface ConfigLayersChartProps {
  /** The layers' data (every component's keys), rendered. */
  readonly layers: ConfigLayers;
}

/**
 * The configuration layers (global, agent, security) as immutable ConfigMaps with content-hashed
 * names, and, in `external-secrets` mode, the ExternalSecrets that create every required Secret.
 */
export class ConfigLayersChart extends PlatformChart {
  /** The layers, for the workloads that consume them. */
  public readonly layers: ConfigLayers;

  constructor(scope: Construct, environment: EnvironmentConfig<LayerSettings>, props: ConfigLayersChartProps) {
    super(scope, 'config-layers', { environment, fileName: '10-config-layers', component: 'configuration' });
    this.layers = props.layers;
    const version = environment.settings.platform.version;
    for (const name of LAYER_NAMES) {
      const component = new Component(this, name, { name: LAYER_BASE_NAMES[name], component: 'configuration', version });
      const rendered = props.layers.layer(name);
      const configMap = new VersionedConfigMap(component, 'ConfigMap', { baseName: LAYER_BASE_NAMES[name], data: rendered.data });
      if (configMap.name !== rendered.configMapName)
        throw new Error(`layer ${name}: rendered name ${configMap.name} differs from ${rendered.configMapName}`);
    }
    const security = environment.settings.security;
    if (security.secretsMode === 'external-secrets' && security.secretStore) {
      const store = security.secretStore;
      const component = new Component(this, 'ExternalSecrets', { name: 'external-secrets', component: 'secrets', version });
      for (const secret of requiredSecrets(environment)) {
        new ExternalSecretMapping(component, secret.secretName, {
          secretName: secret.secretName,
          store: { kind: store.kind, name: store.name },
          refreshInterval: store.refreshInterval,
          keys: secret.keys.map((k) => ({ secretKey: k.key, remoteKey: k.remoteKey!, remoteProperty: k.remoteProperty! })),
        });
      }
    }
  }
}
