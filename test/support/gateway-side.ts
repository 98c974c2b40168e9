import { type EnvironmentConfig, type EnvironmentSettings, loadEnvironment, REGISTRY } from '../../lib/registry';
import { renderCharts, RenderedEnvironment, KubeObject } from '../../lib/synth/render-environment';
import { CONFIG_DIR } from './environments';

/** The files of the gateway side: Redis, PostgreSQL and the gateway. */
const GATEWAY_SIDE = ['20-redis', '21-postgres', '22-litellm-gateway'];

/**
 * Renders only the gateway, Redis and PostgreSQL charts of an environment: the tests of these
 * components need nothing else, and rendering the whole platform for each case is slow. (Every
 * component is built: the gateway side is wired to the others by reference.)
 */
export function renderGatewaySide(environment: EnvironmentConfig): RenderedEnvironment<EnvironmentSettings> {
  return renderCharts(
    environment,
    REGISTRY.build(environment).charts.filter((c) => GATEWAY_SIDE.includes(c.fileName)),
  );
}

const cache = new Map<string, RenderedEnvironment<EnvironmentSettings>>();

/** The gateway-side charts of a real environment (cached per test file). */
export function gatewaySide(environment: string): RenderedEnvironment<EnvironmentSettings> {
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
