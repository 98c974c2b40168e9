import type { ServiceEndpoint } from '../platform/service-endpoint';

/**
 * Names of a workflow's objects. PraisonAI 4.7.0 serves exactly one agents.yaml per process
 * (contracts/praisonai/4.7.0.yaml, cliFlags."serve agents"), so each workflow of
 * `agents.workflows` runs as its own Deployment behind its own Service. Workflow ids are
 * snake_case; Kubernetes names take them with `-` for `_` (which is one-to-one, since ids have no `-`).
 */

/** The longest workflow id whose names (`workflow-<id>-service`, `workflow-<id>-gateway-key`) stay DNS labels. */
export const MAX_WORKFLOW_ID_LENGTH = 42;

/** A workflow id as a DNS label part: `health_consultation` → `health-consultation`. */
export function workflowSlug(workflowId: string): string {
  return workflowId.replace(/_/g, '-');
}

/** Deployment name of a workflow (and `app.kubernetes.io/name` of its pods): `workflow-<slug>`. */
export function workflowAppName(workflowId: string): string {
  return `workflow-${workflowSlug(workflowId)}`;
}

/** The Service of a workflow: `workflow-<slug>-service` on the runtime's port, port name `http`. */
export function workflowEndpoint(workflowId: string, port: number): ServiceEndpoint {
  return { serviceName: `${workflowAppName(workflowId)}-service`, port, portName: 'http' };
}
