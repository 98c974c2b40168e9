import { z } from 'zod';
import { section } from './fields';
import { agentsSection } from './sections/agents';
import { appSection } from './sections/app';
import { redisSection } from './sections/cache';
import { databaseSection } from './sections/database';
import { deploySection } from './sections/deploy';
import { gatewaySection } from './sections/gateway';
import { monitoringSection } from './sections/monitoring';
import { namespaceSection } from './sections/namespace';
import { platformSection } from './sections/platform';
import { securitySection } from './sections/security';

/**
 * The one schema every environment's merged configuration (`config/base.yaml` overlaid with
 * `config/<env>.yaml`) must satisfy. Types are inferred from it, and `config/schema.json` is
 * generated from it.
 */
export const environmentSchema = section({
  platform: platformSection,
  namespace: namespaceSection,
  deploy: deploySection,
  security: securitySection,
  app: appSection,
  agents: agentsSection,
  gateway: gatewaySection,
  redis: redisSection,
  database: databaseSection,
  monitoring: monitoringSection,
});

/** The validated configuration of one environment, as read from YAML. */
export type EnvironmentSettings = z.infer<typeof environmentSchema>;

/** A validated environment: its name (from the file name) and its settings. */
export interface EnvironmentConfig {
  /** Environment name, the basename of its file in `config/` (e.g. `prod`). */
  readonly name: string;
  /** The overlay file this environment was read from. */
  readonly file: string;
  /** The merged and validated settings. */
  readonly settings: EnvironmentSettings;
}
