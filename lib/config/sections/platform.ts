import { z } from 'zod';
import { flag, section, text } from '../fields';

/** Identity of the product, stamped into labels and the global config layer. */
export const platformSection = section({
  /** Product name; the value of `app.kubernetes.io/part-of`. */
  name: z.literal('suoke-life', { error: 'the product name "suoke-life"' }),
  /** Product release, used as `app.kubernetes.io/version` on platform-level objects. */
  version: text,
  /** A production-tier environment: stricter rules apply (no wildcard CORS, and more). */
  production: flag,
});
