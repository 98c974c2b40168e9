import { component } from '../platform/component-descriptor';
import { appSection, securitySection } from './config';
import { ConfigLayers } from './config-layers';
import { ConfigLayersChart } from './config-layers-chart';
import { layerChecks } from './layer-checks';
import { ownLayerData, type LayerSettings } from './layer-data';

export type { AppSettings, SecuritySettings } from './config';
export { ConfigLayers, type LayerConsumer } from './config-layers';
export { ConfigLayersChart } from './config-layers-chart';
export type { LayerName } from './layer-data';
export {
  createSecretCommand,
  renderRequiredSecretsDoc,
  requiredSecrets,
  secretValueVariable,
  type RequiredSecret,
} from './required-secrets';

/**
 * The configuration layers (`10-config-layers`): the global, agent and security ConfigMaps that
 * hold every key the components publish, and in `external-secrets` mode the ExternalSecrets that
 * create every Secret. It owns `security` (where credentials live) and `app` (application-wide
 * settings), and builds the ConfigLayers object that workloads consume the layers through.
 */
export const layers = component<LayerSettings>()({
  id: 'layers',
  title: 'Configuration layers',
  config: { security: securitySection, app: appSection },
  ineffectiveFields: [
    {
      path: ['security', 'secretStore'],
      ignoredBecause: (s) =>
        s.security.secretsMode !== 'external-secrets'
          ? `security.secretsMode is ${s.security.secretsMode}: no ExternalSecret reads a store`
          : undefined,
    },
  ],
  checks: layerChecks,
  layerData: ownLayerData,
  build: (context) => new ConfigLayersChart(context.scope, context.environment, { layers: new ConfigLayers(context.layerData) }),
});
