import { App } from 'cdk8s';
import type { EnvironmentConfig } from '../lib/config/schema';
import { PlatformChart } from '../lib/platform/platform-chart';
import { BaselineChart } from './baseline-chart';
import { ConfigLayersChart } from './config-layers-chart';

/**
 * Composes every chart of one environment. The order here is the order of the files in
 * `dist/<env>/`, and so the order in which `kubectl apply -f` creates them.
 */
export function composePlatform(environment: EnvironmentConfig): PlatformChart[] {
  const app = new App({ outdir: 'unused' });
  return [new BaselineChart(app, environment), new ConfigLayersChart(app, environment)];
}
