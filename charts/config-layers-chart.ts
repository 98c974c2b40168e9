import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../lib/config/schema';
import { ConfigLayers } from '../lib/layers/config-layers';
import { ExternalSecretMapping } from '../lib/layers/external-secret-mapping';
import { LAYER_BASE_NAMES, LAYER_NAMES } from '../lib/layers/layer-data';
import { requiredSecrets } from '../lib/layers/required-secrets';
import { Component } from '../lib/platform/component';
import { PlatformChart } from '../lib/platform/platform-chart';
import { VersionedConfigMap } from '../lib/platform/versioned-config-map';

/**
 * The configuration layers (global, agent, security) as immutable ConfigMaps with content-hashed
 * names, and, in `external-secrets` mode, the ExternalSecrets that create every required Secret.
 */
export class ConfigLayersChart extends PlatformChart {
  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'config-layers', { environment, fileName: '10-config-layers', component: 'configuration' });
    const version = environment.settings.platform.version;
    const layers = ConfigLayers.forEnvironment(environment);
    for (const name of LAYER_NAMES) {
      const component = new Component(this, name, { name: LAYER_BASE_NAMES[name], component: 'configuration', version });
      const rendered = layers.layer(name);
      const configMap = new VersionedConfigMap(component, 'config-map', { baseName: LAYER_BASE_NAMES[name], data: rendered.data });
      if (configMap.name !== rendered.configMapName) throw new Error(`layer ${name}: rendered name ${configMap.name} differs from ${rendered.configMapName}`);
    }
    const security = environment.settings.security;
    if (security.secretsMode === 'external-secrets' && security.secretStore) {
      const store = security.secretStore;
      const component = new Component(this, 'external-secrets', { name: 'external-secrets', component: 'secrets', version });
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
