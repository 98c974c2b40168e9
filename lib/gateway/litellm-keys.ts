/** Environment variables the rendered config refers to through `os.environ/<NAME>`. */
export const LITELLM_ENV = {
  masterKey: 'LITELLM_MASTER_KEY',
  saltKey: 'LITELLM_SALT_KEY',
  databaseUrl: 'DATABASE_URL',
  redisHost: 'REDIS_HOST',
  redisPort: 'REDIS_PORT',
  redisPassword: 'REDIS_PASSWORD',
} as const;

/** How config.yaml refers to an environment variable; LiteLLM resolves it at load time. */
export function fromEnv(name: string): string {
  return `os.environ/${name}`;
}
