import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { ComputeQuantities, ResourcesConfig } from '../config/fields';

const BYTE_UNITS: Record<string, (n: number) => Size> = {
  Ki: Size.kibibytes,
  Mi: Size.mebibytes,
  Gi: Size.gibibytes,
  Ti: Size.tebibytes,
};

/** A validated CPU quantity (`250m`, `1`, `0.5`) as a cdk8s-plus Cpu. */
export function cpuOf(quantity: string): kplus.Cpu {
  return quantity.endsWith('m') ? kplus.Cpu.millis(Number(quantity.slice(0, -1))) : kplus.Cpu.units(Number(quantity));
}

/** A validated byte quantity (`512Mi`, `2Gi`) as a cdk8s Size. */
export function sizeOf(quantity: string): Size {
  const match = /^([0-9]+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!match) throw new Error(`not a byte quantity: ${JSON.stringify(quantity)}`);
  return BYTE_UNITS[match[2]](Number(match[1]));
}

/** Bytes in a validated byte quantity. */
export function bytesOf(quantity: string): number {
  return sizeOf(quantity).toKibibytes() * 1024;
}

/**
 * Requests and limits exactly as configured. Always passing both sides keeps cdk8s-plus's hidden
 * defaults (1000m/512Mi requests, 1500m/2048Mi limits) out of the output.
 */
export function containerResources(config: ResourcesConfig): kplus.ContainerResources {
  const side = (q: ComputeQuantities) => ({ cpu: cpuOf(q.cpu), memory: sizeOf(q.memory) });
  const requests = side(config.requests);
  const limits = side(config.limits);
  return {
    cpu: { request: requests.cpu, limit: limits.cpu },
    memory: { request: requests.memory, limit: limits.memory },
  };
}
