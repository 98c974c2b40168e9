import { z } from 'zod';
import { section } from '../fields';

/** Where an environment is deployed. Read by `scripts/deploy.sh`. */
export const deploySection = section({
  /** The kubectl context that must be current; the deploy script refuses any other. */
  kubeContext: z.string({ error: 'a kubectl context name' }).min(1, { error: 'a kubectl context name' }),
});
