import { redisSection, type RedisSettings } from '../../lib/cache/config';
import { workflowGatewayKeyCredential } from '../../lib/gateway/model-groups';
import { agentsSection, type AgentMember, type AgentsSettings } from '../../lib/agents/config';
import { gatewaySection, type GatewaySettings } from '../../lib/gateway/config';
import { deepMerge } from '../../lib/config/deep-merge';
import { databaseSection, type DatabaseSettings } from '../../lib/database/config';
import type { DatabaseReads } from '../../lib/database/database-chart';
import type { EnvironmentConfig } from '../../lib/config/load-environment';
import type { PlatformSettings } from '../../lib/platform/platform-settings';

/**
 * Small settings fixtures for component tests, built here instead of read from config/: a change
 * to config/base.yaml can neither break a component test nor silently satisfy it. Each builder
 * returns minimal valid settings for one component, validated by that component's own section
 * schema, and takes per-test overrides (deep-merged; lists replace).
 *
 * The values are deliberately unlike the shipped ones, so a test that still reads config/ by
 * mistake fails. Tests whose subject IS the shipped config (dist/, quota, contracts) load config/
 * through test/support/environments.ts instead.
 */

/** Overrides of a settings object: any part of it, at any depth. */
export type Overrides<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: Overrides<T[K]> } : T;

/** The name of a fixture environment (and its file, `fixture.yaml`). */
export const FIXTURE_ENVIRONMENT = 'fixture';

/** The settings every chart reads: product identity, namespace and these credentials. */
export function platformFixture(credentials: PlatformSettings['security']['credentials'] = {}): PlatformSettings {
  return {
    platform: { name: 'suoke-life', version: '0.0.1-fixture', production: false },
    namespace: { name: 'fixture-ns' },
    security: { credentials },
  };
}

/** An environment of these settings, as the loader would return it. */
export function fixtureEnvironment<S>(settings: S, name = FIXTURE_ENVIRONMENT): EnvironmentConfig<S> {
  return { name, file: `${name}.yaml`, settings };
}

/**
 * Redis settings. The images are pinned versions that have contracts (contracts/redis,
 * contracts/redis-exporter); everything else is made up.
 */
export function redisFixture(overrides: Overrides<RedisSettings> = {}): RedisSettings {
  const minimal: RedisSettings = {
    image: { repository: 'docker.io/redis', tag: '7.2.11', pullPolicy: 'Always' },
    resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '250m', memory: '1Gi' } },
    maxmemoryPercent: 60,
    maxmemoryPolicy: 'allkeys-lfu',
    maxClients: 500,
    passwordCredential: 'fixture-cache-password',
    exporterPasswordCredential: 'fixture-exporter-password',
    exporter: {
      image: { repository: 'docker.io/oliver006/redis_exporter', tag: 'v1.88.0', pullPolicy: 'Always' },
      resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '50m', memory: '48Mi' } },
    },
  };
  return redisSection.parse(deepMerge(minimal, overrides));
}

/** What the cache chart reads: the platform settings with its credentials, and its Redis settings. */
export function cacheFixture(overrides: Overrides<RedisSettings> = {}): PlatformSettings & { readonly redis: RedisSettings } {
  const redis = redisFixture(overrides);
  return {
    ...platformFixture({
      [redis.passwordCredential]: { secretName: 'fixture-redis', key: 'gateway', purpose: 'the gateway user of Redis' },
      [redis.exporterPasswordCredential]: { secretName: 'fixture-redis', key: 'exporter', purpose: 'the exporter user of Redis' },
    }),
    redis,
  };
}

/**
 * Spend-store settings, in-cluster unless overridden. The images are pinned versions that have
 * contracts (contracts/postgres, contracts/postgres-exporter); everything else is made up.
 */
export function databaseFixture(overrides: Overrides<DatabaseSettings> = {}): DatabaseSettings {
  const resources = { requests: { cpu: '20m', memory: '48Mi' }, limits: { cpu: '200m', memory: '96Mi' } };
  const minimal: DatabaseSettings = {
    mode: 'in-cluster',
    monitoring: {
      user: 'fixture_watcher',
      passwordCredential: 'fixture-watcher-password',
      exporter: { image: { repository: 'quay.io/prometheuscommunity/postgres-exporter', tag: 'v0.17.1', pullPolicy: 'Always' }, resources },
    },
    external: {
      urlCredential: 'fixture-db-url',
      host: 'db.fixture.example',
      database: 'fixture_spend',
      cidr: '192.168.7.0/24',
      port: 6543,
    },
    inCluster: {
      image: { repository: 'docker.io/postgres', tag: '17.6', pullPolicy: 'Always' },
      resources,
      user: 'fixture_owner',
      database: 'fixture_spend',
      passwordCredential: 'fixture-db-password',
      storageSize: '3Gi',
      sharedMemorySize: '64Mi',
      backup: { schedule: '15 4 * * 0', retention: '5d', storageSize: '4Gi', resources },
    },
  };
  return databaseSection.parse(deepMerge(minimal, overrides));
}

/** What the database chart reads: the platform settings with its credentials, its section and the services' sslmode. */
export function databaseChartFixture(
  overrides: Overrides<DatabaseSettings> = {},
  sslMode: DatabaseReads['app']['database']['sslMode'] = 'verify-full',
): DatabaseReads {
  const database = databaseFixture(overrides);
  return {
    ...platformFixture({
      [database.inCluster.passwordCredential]: { secretName: 'fixture-db', key: 'owner', purpose: 'the owner login' },
      [database.monitoring.passwordCredential]: { secretName: 'fixture-db', key: 'watcher', purpose: 'the monitoring login' },
      [database.external.urlCredential]: { secretName: 'fixture-db', key: 'url', purpose: 'the external database URL' },
    }),
    database,
    app: { database: { sslMode } },
  };
}

/**
 * Gateway settings: one made-up model group with one deployment, the workflow keys and caller
 * budgets of {@link agentsFixture}. The image is the pinned version that has a contract (contracts/litellm); everything else
 * is made up.
 */
export function gatewayFixture(overrides: Overrides<GatewaySettings> = {}): GatewaySettings {
  const resources = { requests: { cpu: '30m', memory: '96Mi' }, limits: { cpu: '300m', memory: '192Mi' } };
  const minimal: GatewaySettings = {
    image: { repository: 'ghcr.io/berriai/litellm-non_root', tag: 'main-v1.81.0-stable', pullPolicy: 'Always' },
    resources,
    replicas: 2,
    numWorkers: 1,
    masterKeyCredential: 'fixture-master-key',
    saltKeyCredential: 'fixture-salt-key',
    requestTimeout: '123s',
    modelGroups: {
      'fixture-model': {
        temperature: 0.3,
        maxTokens: 321,
        deployments: [{ model: 'openai/fixture-model', apiKeyCredential: 'fixture-api-key' }],
      },
    },
    routing: {
      strategy: 'simple-shuffle',
      numRetries: 1,
      timeout: '45s',
      allowedFails: 2,
      cooldown: '15s',
      preCallChecks: false,
      fallbacks: {},
      contextWindowFallbacks: {},
      sharedStateInRedis: true,
    },
    cache: { enabled: true, ttl: '77s', namespace: 'fixture.cache' },
    budget: { maxBudget: 42, budgetDuration: '7d', providerBudgets: {} },
    spendStore: { connectionPoolLimit: 3, batchWriteInterval: '20s', spendLogsRetention: '14d' },
    workflowKeys: {
      alpha_flow: { maxBudget: 12, budgetDuration: '7d' },
      beta_flow: { maxBudget: 34, budgetDuration: '1mo', rpmLimit: 9 },
    },
    agentBudgets: {
      scout: { maxBudget: 5, budgetDuration: '7d' },
      scribe: { maxBudget: 6, budgetDuration: '7d' },
      'quality-reviewer': { maxBudget: 7, budgetDuration: '7d' },
      'manager-beta-flow': { maxBudget: 8, budgetDuration: '1mo' },
    },
    helperResources: resources,
    keyBootstrapWait: '45s',
    databaseWait: '35s',
    network: { providerEgress: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16', '192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8'] } },
  };
  return gatewaySection.parse(deepMerge(minimal, overrides));
}

/** One made-up agent of {@link agentsFixture}: the texts say which agent wrote them. */
function fixtureAgent(id: string, modelGroup: string): AgentMember {
  return {
    chineseName: `${id}-cn`,
    modelGroup,
    speciality: `${id}_work`,
    timeout: '17s',
    retries: 1,
    enabled: true,
    role: `Fixture role of ${id}`,
    goal: `Fixture goal of ${id}`,
    backstory: `Fixture backstory of ${id}`,
    tools: [],
  };
}

/**
 * Agents settings: two made-up agents (`scout`, `scribe`) on the model group of
 * {@link gatewayFixture}, and the workflows `alpha_flow` (sequential: scout, scribe, scout again)
 * and `beta_flow` (hierarchical, one step). The runtime image is the pinned version that has a
 * contract (contracts/praisonai); everything else is made up.
 */
export function agentsFixture(overrides: Overrides<AgentsSettings> = {}): AgentsSettings {
  const group = 'fixture-model';
  const step = (id: string, agent: string, description = `Fixture task ${id}.`) => ({
    id,
    agent,
    description,
    expectedOutput: `Fixture output of ${id}.`,
  });
  const minimal: AgentsSettings = {
    members: { scout: fixtureAgent('scout', group), scribe: fixtureAgent('scribe', group) },
    collaboration: { enabled: true, mode: 'sequential', timeout: '90s', knowledgeSharing: false, resultSynthesis: false },
    workflows: {
      alpha_flow: {
        topic: 'A fixture question.',
        steps: [step('gather', 'scout', 'Gather what the user wrote: {topic}'), step('draft', 'scribe'), step('check', 'scout')],
      },
      beta_flow: {
        topic: 'Another fixture question.',
        process: 'hierarchical',
        managerModelGroup: group,
        steps: [step('answer', 'scribe', 'Answer {topic}')],
      },
    },
    knowledge: { backend: 'redis', namespace: 'fixture:knowledge', scope: 'session', ttl: '5m' },
    qualityControl: {
      reviewer: { modelGroup: group, role: 'Fixture reviewer', goal: 'Fixture review goal', backstory: 'Fixture review backstory' },
      checks: [
        { id: 'fixture_clarity', description: 'Is it clear?' },
        { id: 'fixture_safety', description: 'Is it safe?' },
      ],
      expectedOutput: 'A fixture verdict.',
      passThreshold: 0.55,
    },
    runtime: {
      image: { repository: 'ghcr.io/suoke-life/suoke-agent-runtime', tag: '4.7.0-r1', pullPolicy: 'Always' },
      port: 8123,
      replicas: 3,
      resources: { requests: { cpu: '40m', memory: '80Mi' }, limits: { cpu: '400m', memory: '160Mi' } },
      apiKeyCredential: 'fixture-agent-api-key',
    },
    network: {},
  };
  return agentsSection.parse(deepMerge(minimal, overrides));
}

/** The gateway and agents fixtures together, with the credentials they name (for a whole environment). */
export function gatewayAgentsFixture(
  gatewayOverrides: Overrides<GatewaySettings> = {},
  agentsOverrides: Overrides<AgentsSettings> = {},
): { gateway: GatewaySettings; agents: AgentsSettings; credentials: PlatformSettings['security']['credentials'] } {
  const gateway = gatewayFixture(gatewayOverrides);
  const agents = agentsFixture(agentsOverrides);
  const credential = (key: string, purpose: string) => ({ secretName: 'fixture-keys', key, purpose });
  const ids = [
    gateway.masterKeyCredential,
    gateway.saltKeyCredential,
    ...Object.values(gateway.modelGroups).flatMap((g) => g.deployments.map((d) => d.apiKeyCredential)),
    ...Object.keys(gateway.workflowKeys).map(workflowGatewayKeyCredential),
    agents.runtime.apiKeyCredential,
  ];
  return { gateway, agents, credentials: Object.fromEntries(ids.map((id) => [id, credential(id, `fixture credential ${id}`)])) };
}
