import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../lib/config/schema';
import { LiteLlmGateway } from '../lib/gateway/litellm-gateway';
import { PlatformChart } from '../lib/platform/platform-chart';

/** The LiteLLM gateway and its agent key registration (`22-litellm-gateway`), after Redis and PostgreSQL. */
export class GatewayChart extends PlatformChart {
  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'gateway', { environment, fileName: '22-litellm-gateway', component: 'gateway' });
    new LiteLlmGateway(this, 'litellm', { settings: environment.settings });
  }
}
