import { z } from 'zod';
import { byteQuantity, computeQuantities, cpuQuantity, dnsLabel, section, wholeNumber } from '../config/fields';

/** A limit-to-request ratio: a number of at least 1 (a limit is never below its request). */
const ratio = z.number({ error: 'a number >= 1' }).min(1, { error: 'a number >= 1' });

/** The namespace every object of an environment lives in, and its guard rails. */
export const namespaceSection = section({
  /** Namespace name; `suoke-life` in prod. */
  name: dnsLabel,
  /** ResourceQuota: totals across all pods of the namespace. */
  quota: section({
    requestsCpu: cpuQuantity,
    requestsMemory: byteQuantity,
    limitsCpu: cpuQuantity,
    limitsMemory: byteQuantity,
    requestsStorage: byteQuantity,
    pods: wholeNumber(1),
    persistentVolumeClaims: wholeNumber(0),
    services: wholeNumber(1),
    configMaps: wholeNumber(1),
  }),
  /**
   * LimitRange: defaults for containers that set nothing, and the bounds the API server holds
   * every container to (LimitRanger admission). Every resources block of the config is checked
   * against the bounds at synthesis, so a container the namespace would refuse is refused first.
   */
  limitRange: section({
    defaultRequest: computeQuantities,
    defaultLimit: computeQuantities,
    /** The largest request and limit of a container. */
    max: computeQuantities,
    /**
     * The smallest request (and limit) of a container.
     * @default - none
     */
    min: computeQuantities.optional(),
    /**
     * The largest limit-to-request ratio of a container, per resource (`{ cpu: 4 }`).
     * @default - none
     */
    maxLimitRequestRatio: section({ cpu: ratio.optional(), memory: ratio.optional() }).optional(),
  }),
});
export type NamespaceSettings = z.infer<typeof namespaceSection>;
