import type { z } from 'zod';
import { byteQuantity, computeQuantities, cpuQuantity, dnsLabel, section, wholeNumber } from '../config/fields';

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
  /** LimitRange: defaults for containers that set nothing, and the largest a container may ask. */
  limitRange: section({
    defaultRequest: computeQuantities,
    defaultLimit: computeQuantities,
    max: computeQuantities,
  }),
});
export type NamespaceSettings = z.infer<typeof namespaceSection>;
