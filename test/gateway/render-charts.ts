import { App } from 'cdk8s';
import { CacheChart } from '../../charts/cache-chart';
import { DatabaseChart } from '../../charts/database-chart';
import { GatewayChart } from '../../charts/gateway-chart';
import { loadEnvironment } from '../../lib/config/load-environment';
import type { EnvironmentConfig } from '../../lib/config/schema';
import { renderCharts, RenderedEnvironment, KubeObject } from '../../lib/synth/render-environment';
import { CONFIG_DIR } from '../support/environments';

/**
 * Renders only the gateway, Redis and PostgreSQL charts of an environment: the tests of these
 * components need nothing else, and rendering the whole platform for each case is slow.
 */
export function renderGatewaySide(environment: EnvironmentConfig): RenderedEnvironment {
  const app = new App({ outdir: 'unused' });
  return renderCharts(environment, [new CacheChart(app, environment), ...DatabaseChart.forEnvironment(app, environment), new GatewayChart(app, environment)]);
}

const cache = new Map<string, RenderedEnvironment>();

/** The gateway-side charts of a real environment (cached per test file). */
export function gatewaySide(environment: string): RenderedEnvironment {
  let result = cache.get(environment);
  if (!result) {
    result = renderGatewaySide(loadEnvironment(CONFIG_DIR, environment));
    cache.set(environment, result);
  }
  return result;
}

/** Every object of a rendering. */
export function objectsIn(rendering: RenderedEnvironment): KubeObject[] {
  return rendering.files.flatMap((f) => f.objects);
}

/** One object of a rendering by kind and name, failing loudly when absent. */
export function objectIn(rendering: RenderedEnvironment, kind: string, name: string): KubeObject {
  const found = objectsIn(rendering).find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${rendering.environment.name}: no ${kind} ${name}`);
  return found;
}

/** One object of a real environment's gateway-side charts. */
export function findGatewaySide(environment: string, kind: string, name: string): KubeObject {
  return objectIn(gatewaySide(environment), kind, name);
}
