import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LongRunningContainerProps } from './hardened-container';
import { hardenedPodTemplate, HardenedPodProps, longRunningContainers } from './hardened-pod';

/** A volume claimed per pod (a `volumeClaimTemplates` entry) and where it is mounted. */
export interface ClaimedVolume {
  /** Volume (and claim template) name. */
  readonly name: string;
  /** Requested size, e.g. `10Gi`. */
  readonly size: string;
  /**
   * StorageClass.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /** Mount point in the first container. */
  readonly mountPath: string;
}

/** Properties of a HardenedStatefulSet. */
export interface HardenedStatefulSetProps extends HardenedPodProps {
  /** StatefulSet name, also `app.kubernetes.io/name` of its pods. */
  readonly name: string;
  /** Name of the existing Service that governs the pods' DNS (a ClusterService). */
  readonly serviceName: string;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /** Long-running containers; each must have readiness and liveness probes. */
  readonly containers: readonly LongRunningContainerProps[];
  /**
   * Persistent volumes, one claim per pod, mounted read-write into the first container.
   * @default - none
   */
  readonly claims?: readonly ClaimedVolume[];
}

/**
 * A StatefulSet that meets the restricted Pod Security profile and the platform policy by
 * construction, selected by stable recommended labels, with per-pod volume claims (which
 * cdk8s-plus-28 cannot express) and a Service of the caller's choosing.
 */
export class HardenedStatefulSet extends Construct {
  /** The cdk8s-plus StatefulSet. */
  public readonly statefulSet: kplus.StatefulSet;
  /** Labels that select this StatefulSet's pods. */
  public readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    super(scope, id);
    const template = hardenedPodTemplate(this, props.name, props);
    this.selector = template.selector;
    // cdk8s-plus-28 creates a headless Service unless given one, and only accepts its own
    // Service class; this stand-in names the ClusterService the caller owns and selects nothing.
    const governing = Object.assign(new Construct(this, 'GoverningService'), { name: props.serviceName, select: () => undefined });
    this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
      ...template.podProps,
      metadata: { name: props.name },
      replicas: props.replicas ?? 1,
      service: governing as unknown as kplus.Service,
      select: false,
      podMetadata: template.podMetadata,
      containers: longRunningContainers(this, props.containers),
    });
    this.statefulSet.select(kplus.LabelSelector.of({ labels: this.selector }));
    const resource = ApiObject.of(this.statefulSet);
    resource.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    const claims = props.claims ?? [];
    if (claims.length > 0) {
      resource.addJsonPatch(
        JsonPatch.add(
          '/spec/volumeClaimTemplates',
          claims.map((c) => ({
            metadata: { name: c.name },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(c.storageClassName ? { storageClassName: c.storageClassName } : {}),
              // The patch is applied before the L1's typed conversion, which reads Quantity objects.
              resources: { requests: { storage: k8s.Quantity.fromString(c.size) } },
            },
          })),
        ),
      );
      const first = props.containers[0];
      const mounts = claims.map((c) => ({ name: c.name, mountPath: c.mountPath }));
      if ((first.mounts?.length ?? 0) + (first.scratch?.length ?? 0) === 0) {
        resource.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', mounts));
      } else {
        for (const m of mounts) resource.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', m));
      }
    }
  }
}
