import type { EnvironmentSettings } from './schema';
import { layerChecks } from '../layers/layer-checks';
import { agentChecks } from '../agents/agent-checks';
import { redisChecks } from '../cache/redis-checks';
import { databaseChecks } from '../database/database-checks';
import { gatewayChecks } from '../gateway/gateway-checks';
import { deployChecks } from '../deploy/deploy-checks';
import { monitoringChecks } from '../monitoring/monitoring-checks';

/** A problem that involves more than one field, found after the schema itself is satisfied. */
export interface CrossFieldProblem {
  /** Path of the field to fix. */
  readonly path: readonly (string | number)[];
  /** What the field must be. */
  readonly expected: string;
  /** What was found, already rendered. */
  readonly found: string;
}

/**
 * A rule that spans fields or sections (a reference to a name defined elsewhere, say). Receives the
 * environment name too, for rules that apply only to some environments.
 */
export type CrossCheck = (settings: EnvironmentSettings, environment: string) => CrossFieldProblem[];

/** Every cross-field rule. Components append theirs here. */
export const crossChecks: readonly CrossCheck[] = [...layerChecks, ...deployChecks, ...gatewayChecks, ...redisChecks, ...databaseChecks, ...agentChecks, ...monitoringChecks];
