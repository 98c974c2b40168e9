import type { CrossFieldProblem } from '../config/cross-checks';
import { type ComputeQuantities, quantityNumber, type ResourcesConfig } from '../config/fields';
import { formatPath } from '../config/load-environment';
import type { CrossCheck } from '../platform/component-descriptor';
import type { NamespaceSettings } from './config';

/** A resources block of the config (requests and limits of one container) and where it is. */
interface ResourcesBlock {
  readonly path: readonly (string | number)[];
  readonly resources: ResourcesConfig;
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isQuantities = (value: unknown): value is ComputeQuantities =>
  isMap(value) && typeof value.cpu === 'string' && typeof value.memory === 'string';

/**
 * Every resources block in the settings, wherever a component keeps it: a map of `requests` and
 * `limits`, each with `cpu` and `memory` (the shape of `resourcesConfig`). Blocks of a disabled
 * part are included: they apply as soon as it is enabled.
 */
export function resourcesBlocks(settings: unknown, path: readonly (string | number)[] = []): ResourcesBlock[] {
  if (Array.isArray(settings)) return settings.flatMap((item, i) => resourcesBlocks(item, [...path, i]));
  if (!isMap(settings)) return [];
  if (isQuantities(settings.requests) && isQuantities(settings.limits)) {
    return [{ path, resources: { requests: settings.requests, limits: settings.limits } }];
  }
  return Object.entries(settings).flatMap(([key, value]) => resourcesBlocks(value, [...path, key]));
}

const RESOURCES = ['cpu', 'memory'] as const;

/**
 * The API server's LimitRanger admits a container only within the namespace's LimitRange, per
 * resource: request and limit at least `min`, at most `max`, and limit / request at most
 * `maxLimitRequestRatio` (contracts/kubernetes/1.30.yaml, `limitRanger`). Every resources block
 * of the config is held to the same bounds here, so synthesis refuses what admission would.
 */
export const containersWithinLimitRange: CrossCheck<{ readonly namespace: NamespaceSettings }> = (settings) => {
  const range = settings.namespace.limitRange;
  const at = (side: string, r: string) => `namespace.limitRange.${side}.${r}`;
  return resourcesBlocks(settings)
    .filter((block) => block.path[0] !== 'namespace')
    .flatMap(({ path, resources }): CrossFieldProblem[] =>
      RESOURCES.flatMap((r) => {
        const request = quantityNumber(resources.requests[r]);
        const limit = quantityNumber(resources.limits[r]);
        const problems: CrossFieldProblem[] = [];
        const max = range.max[r];
        for (const side of ['requests', 'limits'] as const) {
          const value = resources[side][r];
          if (quantityNumber(value) > quantityNumber(max)) {
            problems.push({ path: [...path, side, r], expected: `at most ${max} (${at('max', r)}, the LimitRange maximum)`, found: value });
          }
          const min = range.min?.[r];
          if (min !== undefined && quantityNumber(value) < quantityNumber(min)) {
            problems.push({
              path: [...path, side, r],
              expected: `at least ${min} (${at('min', r)}, the LimitRange minimum)`,
              found: value,
            });
          }
        }
        const ratio = range.maxLimitRequestRatio?.[r];
        if (ratio !== undefined && request > 0 && limit / request > ratio) {
          problems.push({
            path: [...path, 'limits', r],
            expected: `at most ${ratio} × the request ${resources.requests[r]} (${at('maxLimitRequestRatio', r)}; ${formatPath([...path, 'requests', r])})`,
            found: `${resources.limits[r]}, ${(limit / request).toFixed(2)} times the request`,
          });
        }
        return problems;
      }),
    );
};
