import { duration, oneOf, section, text, wholeNumber } from '../fields';

/** Application-wide settings rendered into the global config layer. */
export const appSection = section({
  /** Log level of every platform service. */
  logLevel: oneOf(['DEBUG', 'INFO', 'WARNING', 'ERROR']),
  /** Log format of every platform service. */
  logFormat: oneOf(['json', 'text']),
  /** How services connect to the database (its host, port and name come from the `database` section). */
  database: section({
    /** libpq sslmode. */
    sslMode: oneOf(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']),
  }),
  /** Redis logical database of the services. */
  redisDb: wholeNumber(0, 15),
  /** Health checks the services run against their dependencies. */
  healthCheck: section({ interval: duration, timeout: duration, retries: wholeNumber(0, 10) }),
  /** Public base URL of the product, for links in notifications. */
  publicUrl: text,
});
