import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import { PlatformChart } from '../platform/platform-chart';
import type { PlatformSettings } from '../platform/platform-settings';
import type { GatewaySettings } from './config';
import { LiteLlmGateway, type LiteLlmGatewayProps } from './litellm-gateway';

/** The LiteLLM gateway and its agent key registration (`22-litellm-gateway`), after Redis and PostgreSQL. */
export class GatewayChart extends PlatformChart {
  /** The gateway: its endpoint and pods, for its callers. */
  public readonly litellm: LiteLlmGateway;

  constructor(
    scope: Construct,
    environment: EnvironmentConfig<PlatformSettings & { readonly gateway: GatewaySettings }>,
    props: Omit<LiteLlmGatewayProps, 'settings'>,
  ) {
    super(scope, 'gateway', { environment, fileName: '22-litellm-gateway', component: 'gateway' });
    this.litellm = new LiteLlmGateway(this, 'LiteLlm', { ...props, settings: environment.settings.gateway });
  }
}
