import type { KubeObject } from '../platform/kube-object';
import { containersOf, objectId, podTemplateOf, PodTemplateRef, selectorMatches } from '../platform/pod-specs';

/**
 * The project's manifest policy (see ../shared/reference/policy.md): every error-level rule, and the
 * warnings this project chooses to hold as errors (liveness probes, pull policy, named ports,
 * recommended labels, a PodDisruptionBudget and spreading for every workload with 2+ replicas).
 * Each rule is a function over the whole set of objects of one environment.
 */

/** One broken rule. */
export interface Violation {
  /** Rule id, as in the policy catalogue (e.g. `pss-run-as-non-root`). */
  readonly rule: string;
  /** `Kind/namespace/name` of the offending object. */
  readonly object: string;
  /** What is wrong. */
  readonly message: string;
}

type Rule = (objects: readonly KubeObject[]) => Violation[];

const RECOMMENDED_LABELS = ['name', 'instance', 'version', 'component', 'part-of', 'managed-by'].map((l) => `app.kubernetes.io/${l}`);
const ALLOWED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const DEFAULT_PASSWORDS = /\b(admin123|changeme|change-me|password123|passw0rd|secret123|NoTaGrEaTpAsSwOrD|sk-1234)\b/i;
const PASSWORD_KEY = /(password|passwd|secret|token|api[-_]?key)$/i;
const WEAK_WHOLE_VALUES = new Set(['password', 'admin', 'root', 'test', 'secret', '123456']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'ClusterSecretStore',
  'PriorityClass',
]);

function templates(objects: readonly KubeObject[]): PodTemplateRef[] {
  return objects.map(podTemplateOf).filter((t): t is PodTemplateRef => t !== undefined);
}

function perContainer(rule: string, check: (c: any, init: boolean, t: PodTemplateRef) => string | undefined): Rule {
  return (objects) =>
    templates(objects).flatMap((t) =>
      containersOf(t.spec).flatMap(({ container, init }) => {
        const message = check(container, init, t);
        return message ? [{ rule, object: objectId(t.owner), message: `container ${container.name}: ${message}` }] : [];
      }),
    );
}

function perTemplate(rule: string, check: (t: PodTemplateRef) => string | undefined): Rule {
  return (objects) =>
    templates(objects).flatMap((t) => {
      const message = check(t);
      return message ? [{ rule, object: objectId(t.owner), message }] : [];
    });
}

/** Every string value anywhere in an object, with the key it sits under. */
function* stringsOf(value: unknown, key = ''): Generator<{ key: string; value: string }> {
  if (typeof value === 'string') yield { key, value };
  else if (Array.isArray(value)) for (const v of value) yield* stringsOf(v, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* stringsOf(v, k);
}

const isTrue = (v: unknown) => v === true;

/** Pod templates of Deployments and StatefulSets that run 2+ replicas (or whose autoscaler's minimum is 2+). */
function replicatedTemplates(objects: readonly KubeObject[]): PodTemplateRef[] {
  const hpaMin = new Map(
    objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.minReplicas ?? 1]),
  );
  return templates(objects).filter(
    (t) =>
      (t.owner.kind === 'Deployment' || t.owner.kind === 'StatefulSet') &&
      (hpaMin.get(t.owner.metadata.name) ?? t.owner.spec.replicas ?? 1) >= 2,
  );
}

const rules: Record<string, Rule> = {
  'pss-run-as-non-root': perContainer('pss-run-as-non-root', (c, _i, t) => {
    const pod = t.spec.securityContext ?? {};
    const sc = c.securityContext ?? {};
    if (sc.runAsUser === 0 || pod.runAsUser === 0) return 'runs as UID 0';
    if (sc.runAsNonRoot === false) return 'runAsNonRoot is false';
    return isTrue(sc.runAsNonRoot) || isTrue(pod.runAsNonRoot) ? undefined : 'runAsNonRoot is not set';
  }),
  'pss-privilege-escalation': perContainer('pss-privilege-escalation', (c) =>
    c.securityContext?.allowPrivilegeEscalation === false ? undefined : 'allowPrivilegeEscalation is not explicitly false',
  ),
  'pss-capabilities': perContainer('pss-capabilities', (c) => {
    const caps = c.securityContext?.capabilities ?? {};
    if (!(caps.drop ?? []).includes('ALL')) return 'capabilities.drop does not contain ALL';
    const added = (caps.add ?? []).filter((a: string) => a !== 'NET_BIND_SERVICE');
    return added.length ? `adds capabilities ${added.join(', ')}` : undefined;
  }),
  'pss-seccomp': perContainer('pss-seccomp', (c, _i, t) => {
    const ok = (p: any) => p?.type === 'RuntimeDefault' || p?.type === 'Localhost';
    const own = c.securityContext?.seccompProfile;
    if (own?.type === 'Unconfined') return 'seccomp profile is Unconfined';
    return ok(own) || ok(t.spec.securityContext?.seccompProfile) ? undefined : 'no RuntimeDefault seccomp profile';
  }),
  'pss-privileged': perContainer('pss-privileged', (c) => (c.securityContext?.privileged ? 'privileged' : undefined)),
  'pss-host-namespaces': perTemplate('pss-host-namespaces', (t) =>
    t.spec.hostNetwork || t.spec.hostPID || t.spec.hostIPC ? 'uses a host namespace' : undefined,
  ),
  'pss-volume-types': perTemplate('pss-volume-types', (t) => {
    const bad = (t.spec.volumes ?? []).filter((v: any) => !Object.keys(v).some((k) => ALLOWED_VOLUME_TYPES.has(k)));
    return bad.length ? `volume types not allowed: ${bad.map((v: any) => v.name).join(', ')}` : undefined;
  }),
  'pss-baseline-misc': perContainer('pss-baseline-misc', (c, _i, t) => {
    const contexts = [t.spec.securityContext ?? {}, c.securityContext ?? {}];
    if (contexts.some((sc) => sc.windowsOptions?.hostProcess)) return 'hostProcess is set';
    if (contexts.some((sc) => sc.procMount && sc.procMount !== 'Default')) return 'procMount is not Default';
    if (contexts.some((sc) => sc.seLinuxOptions?.user || sc.seLinuxOptions?.role)) return 'sets a SELinux user or role';
    if (contexts.some((sc) => sc.appArmorProfile?.type === 'Unconfined')) return 'AppArmor is Unconfined';
    if ((t.spec.securityContext?.sysctls ?? []).length) return 'sets sysctls';
    const hostProbe = ['readinessProbe', 'livenessProbe', 'startupProbe'].some((p) => c[p]?.httpGet?.host || c[p]?.tcpSocket?.host);
    return hostProbe ? 'a probe targets another host' : undefined;
  }),
  'pss-host-port': perContainer('pss-host-port', (c) => ((c.ports ?? []).some((p: any) => p.hostPort) ? 'uses a hostPort' : undefined)),
  'read-only-root-fs': perContainer('read-only-root-fs', (c) =>
    c.securityContext?.readOnlyRootFilesystem === true ? undefined : 'readOnlyRootFilesystem is not true',
  ),
  resources: perContainer('resources', (c) => {
    const r = c.resources ?? {};
    const missing = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].filter((p) => {
      const [side, res] = p.split('.');
      return r[side]?.[res] === undefined;
    });
    return missing.length ? `missing ${missing.join(', ')}` : undefined;
  }),
  'probe-readiness': perContainer('probe-readiness', (c, init, t) =>
    t.longRunning && !init && !c.readinessProbe ? 'no readinessProbe' : undefined,
  ),
  'probe-liveness': perContainer('probe-liveness', (c, init, t) =>
    t.longRunning && !init && !c.livenessProbe ? 'no livenessProbe' : undefined,
  ),
  'image-tag': perContainer('image-tag', (c) => {
    const image: string = c.image ?? '';
    if (image.includes('@sha256:')) return undefined;
    const tag = /:([^/:]+)$/.exec(image)?.[1];
    return !tag || tag === 'latest' ? `image ${image} is not pinned` : undefined;
  }),
  'image-pull-policy': perContainer('image-pull-policy', (c) =>
    c.imagePullPolicy === 'IfNotPresent' || c.imagePullPolicy === 'Always'
      ? undefined
      : `imagePullPolicy is ${c.imagePullPolicy ?? 'unset'}`,
  ),
  'container-port-named': perContainer('container-port-named', (c) => {
    const bad = (c.ports ?? []).filter((p: any) => !/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(p.name ?? ''));
    return bad.length ? `ports without a valid name: ${bad.map((p: any) => p.containerPort).join(', ')}` : undefined;
  }),
  'automount-sa-token': (objects) => {
    const bound = new Set(
      objects
        .filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')
        .flatMap((b) => (b.subjects ?? []).filter((s: any) => s.kind === 'ServiceAccount').map((s: any) => s.name)),
    );
    return perTemplate('automount-sa-token', (t) => {
      if (t.spec.automountServiceAccountToken === false) return undefined;
      const sa = t.spec.serviceAccountName ?? 'default';
      return bound.has(sa) ? undefined : `mounts the token of ServiceAccount ${sa}, which no RoleBinding binds`;
    })(objects);
  },
  'selector-mismatch': (objects) =>
    templates(objects)
      .filter((t) => t.owner.spec?.selector && !selectorMatches(t.owner.spec.selector, t.metadata.labels))
      .map((t) => ({
        rule: 'selector-mismatch',
        object: objectId(t.owner),
        message: 'spec.selector does not match the pod template labels',
      })),
  'config-map-missing': (objects) => {
    const configMaps = new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o]));
    return templates(objects).flatMap((t) => {
      const problems: string[] = [];
      const need = (name: string, key?: string) => {
        const cm = configMaps.get(name);
        if (!cm) problems.push(`references ConfigMap ${name}, which is not rendered`);
        else if (key !== undefined && !(key in (cm.data ?? {})) && !(key in (cm.binaryData ?? {})))
          problems.push(`references key ${key} of ConfigMap ${name}, which it lacks`);
      };
      for (const v of t.spec.volumes ?? []) {
        if (v.configMap && !v.configMap.optional) need(v.configMap.name);
        for (const s of v.projected?.sources ?? []) if (s.configMap && !s.configMap.optional) need(s.configMap.name);
      }
      for (const { container } of containersOf(t.spec)) {
        for (const e of container.envFrom ?? []) if (e.configMapRef && !e.configMapRef.optional) need(e.configMapRef.name);
        for (const e of container.env ?? []) {
          const ref = e.valueFrom?.configMapKeyRef;
          if (ref && !ref.optional) need(ref.name, ref.key);
        }
      }
      return problems.map((message) => ({ rule: 'config-map-missing', object: objectId(t.owner), message }));
    });
  },
  'secret-plaintext': (objects) =>
    objects
      .filter((o) => o.kind === 'Secret' && (Object.keys(o.data ?? {}).length > 0 || Object.keys(o.stringData ?? {}).length > 0))
      .map((o) => ({
        rule: 'secret-plaintext',
        object: objectId(o),
        message: 'a Secret carries data; secrets must come from outside git',
      })),
  'default-credentials': (objects) =>
    objects.flatMap((o) => {
      const found = [...stringsOf(o)].find(
        ({ key, value }) =>
          DEFAULT_PASSWORDS.test(value) ||
          (PASSWORD_KEY.test(key) && WEAK_WHOLE_VALUES.has(value.toLowerCase())) ||
          /password=(admin|root|test|password)\b/i.test(value),
      );
      return found
        ? [{ rule: 'default-credentials', object: objectId(o), message: `default or weak credential under "${found.key}"` }]
        : [];
    }),
  'netpol-default-deny': (objects) => {
    const namespaces = new Set(templates(objects).map((t) => t.owner.metadata.namespace));
    const denies = (type: string) =>
      new Set(
        objects
          .filter((o) => o.kind === 'NetworkPolicy' && Object.keys(o.spec?.podSelector ?? {}).length === 0)
          .filter((o) => (o.spec.policyTypes ?? []).includes(type) && !(type === 'Ingress' ? o.spec.ingress : o.spec.egress)?.length)
          .map((o) => o.metadata.namespace),
      );
    const ingress = denies('Ingress');
    const egress = denies('Egress');
    return [...namespaces]
      .filter((ns) => !ingress.has(ns) || !egress.has(ns))
      .map((ns) => ({
        rule: 'netpol-default-deny',
        object: `Namespace/-/${ns}`,
        message: 'no default-deny NetworkPolicy for both ingress and egress',
      }));
  },
  'netpol-pod-selected': (objects) => {
    const allows = objects.filter((o) => o.kind === 'NetworkPolicy' && Object.keys(o.spec?.podSelector?.matchLabels ?? {}).length > 0);
    return perTemplate('netpol-pod-selected', (t) =>
      allows.some((p) => p.metadata.namespace === t.owner.metadata.namespace && selectorMatches(p.spec.podSelector, t.metadata.labels))
        ? undefined
        : 'no NetworkPolicy selects these pods explicitly',
    )(objects);
  },
  'service-dangling': (objects) => {
    const pods = templates(objects);
    return objects
      .filter((o) => o.kind === 'Service' && o.spec?.selector)
      .flatMap((svc) => {
        const selected = pods.filter(
          (t) =>
            t.owner.metadata.namespace === svc.metadata.namespace && selectorMatches({ matchLabels: svc.spec.selector }, t.metadata.labels),
        );
        if (selected.length === 0) return [{ rule: 'service-dangling', object: objectId(svc), message: 'selects no pod template' }];
        const named = (svc.spec.ports ?? []).map((p: any) => p.targetPort).filter((p: unknown) => typeof p === 'string');
        return named
          .filter(
            (name: string) =>
              !selected.every((t) =>
                containersOf(t.spec).some(({ container }) => (container.ports ?? []).some((p: any) => p.name === name)),
              ),
          )
          .map((name: string) => ({
            rule: 'service-target-port',
            object: objectId(svc),
            message: `targetPort ${name} is not a port of every selected pod`,
          }));
      });
  },
  'pdb-missing': (objects) =>
    replicatedTemplates(objects)
      .filter(
        (t) =>
          !objects.some(
            (o) =>
              o.kind === 'PodDisruptionBudget' &&
              o.metadata.namespace === t.owner.metadata.namespace &&
              selectorMatches(o.spec?.selector, t.metadata.labels),
          ),
      )
      .map((t) => ({ rule: 'pdb-missing', object: objectId(t.owner), message: 'runs 2+ replicas without a PodDisruptionBudget' })),
  'pod-spread': (objects) =>
    replicatedTemplates(objects)
      .filter((t) => !t.spec.topologySpreadConstraints?.length && !t.spec.affinity?.podAntiAffinity)
      .map((t) => ({
        rule: 'pod-spread',
        object: objectId(t.owner),
        message: 'runs 2+ replicas without topology spread or pod anti-affinity',
      })),
  'hpa-target': (objects) =>
    objects
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .filter(
        (h) =>
          !objects.some(
            (o) =>
              o.kind === h.spec.scaleTargetRef.kind &&
              o.metadata.name === h.spec.scaleTargetRef.name &&
              o.metadata.namespace === h.metadata.namespace,
          ),
      )
      .map((h) => ({
        rule: 'hpa-target',
        object: objectId(h),
        message: `targets ${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}, which is not rendered`,
      })),
  'duplicate-object': (objects) => {
    const seen = new Set<string>();
    return objects.flatMap((o) => {
      const id = `${o.apiVersion.split('/')[0]}:${objectId(o)}`;
      if (seen.has(id)) return [{ rule: 'duplicate-object', object: objectId(o), message: 'rendered twice' }];
      seen.add(id);
      return [];
    });
  },
  'recommended-labels': (objects) =>
    objects.flatMap((o) => {
      const missing = RECOMMENDED_LABELS.filter((l) => !o.metadata.labels?.[l]);
      return missing.length ? [{ rule: 'recommended-labels', object: objectId(o), message: `missing ${missing.join(', ')}` }] : [];
    }),
  'namespace-pss-enforce': (objects) =>
    objects
      .filter((o) => o.kind === 'Namespace')
      .filter((o) => !['restricted', 'baseline'].includes(o.metadata.labels?.['pod-security.kubernetes.io/enforce'] ?? ''))
      .map((o) => ({
        rule: 'namespace-pss-enforce',
        object: objectId(o),
        message: 'pod-security.kubernetes.io/enforce is not restricted or baseline',
      })),
  'namespace-scope': (objects) =>
    objects
      .filter((o) => (CLUSTER_SCOPED.has(o.kind) ? o.metadata.namespace !== undefined : o.metadata.namespace === undefined))
      .map((o) => ({
        rule: 'namespace-scope',
        object: objectId(o),
        message: CLUSTER_SCOPED.has(o.kind) ? 'cluster-scoped object has a namespace' : 'namespaced object has no namespace',
      })),
  'rbac-wildcard': (objects) =>
    objects
      .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
      .filter((o) => (o.rules ?? []).some((r: any) => [...(r.verbs ?? []), ...(r.resources ?? []), ...(r.apiGroups ?? [])].includes('*')))
      .map((o) => ({ rule: 'rbac-wildcard', object: objectId(o), message: 'uses * in a rule' })),
  'rbac-cluster-admin': (objects) =>
    objects
      .filter((o) => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && o.roleRef?.name === 'cluster-admin')
      .map((o) => ({ rule: 'rbac-cluster-admin', object: objectId(o), message: 'binds cluster-admin' })),
};

/** Ids of every rule enforced. */
export const POLICY_RULES = Object.keys(rules);

/** Checks a set of objects (one environment) against every rule. */
export function checkPolicy(objects: readonly KubeObject[]): Violation[] {
  return Object.values(rules).flatMap((rule) => rule(objects));
}
