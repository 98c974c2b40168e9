import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { checkPolicy } from '../../lib/policy/policy-rules';
import { ClusterService } from '../../lib/platform/cluster-service';
import { Component } from '../../lib/platform/component';
import { HardenedDeployment, HardenedDeploymentProps } from '../../lib/platform/hardened-deployment';
import { PlatformChart } from '../../lib/platform/platform-chart';
import { PodNetworkPolicy } from '../../lib/platform/pod-network-policy';
import { renderCharts } from '../../lib/synth/render-environment';
import { fixtureEnvironment, platformFixture } from '../support/fixture-settings';

const environment = fixtureEnvironment(platformFixture());

function render(props: Partial<HardenedDeploymentProps> = {}) {
  const chart = new PlatformChart(new App(), 'test', { environment, fileName: '99-test', component: 'test' });
  const component = new Component(chart, 'web', { name: 'web', component: 'frontend', version: '1.2.3' });
  const workload = new HardenedDeployment(component, 'deployment', {
    name: 'web',
    replicas: 2,
    runAs: { user: 1000, group: 1000 },
    containers: [
      {
        name: 'web',
        image: { repository: 'docker.io/nginxinc/nginx-unprivileged', tag: '1.27.3', pullPolicy: 'IfNotPresent' },
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        ports: [{ name: 'http', number: 8080 }],
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
        liveness: kplus.Probe.fromHttpGet('/live', { port: 8080 }),
        scratch: [{ path: '/tmp', sizeLimit: '16Mi' }],
      },
    ],
    ...props,
  });
  new ClusterService(component, 'service', { name: 'web-service', selector: workload.selector, ports: [{ name: 'http', port: 80 }] });
  new PodNetworkPolicy(component, 'policy', {
    name: 'web',
    podLabels: workload.selector,
    ingress: [{ peers: [], ports: [{ port: 'http' }] }],
  });
  const objects = renderCharts(environment, [chart]).files[0].objects;
  return { objects, deployment: objects.find((o) => o.kind === 'Deployment')! };
}

test('containers get the restricted security context', () => {
  const c = render().deployment.spec.template.spec.containers[0];
  expect(c.securityContext).toEqual({
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  });
});

test('resources are exactly those configured: no cdk8s-plus hidden defaults', () => {
  const c = render().deployment.spec.template.spec.containers[0];
  expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
});

test('pod runs as the given non-root user, without a service account token', () => {
  const pod = render().deployment.spec.template.spec;
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
  expect(pod.automountServiceAccountToken).toBe(false);
});

test('a service account turns token mounting on', () => {
  const chart = new PlatformChart(new App(), 'sa', { environment, fileName: '99-sa', component: 'test' });
  const component = new Component(chart, 'c', { name: 'c', component: 'c', version: '1' });
  const sa = new kplus.ServiceAccount(component, 'sa', { metadata: { name: 'c' } });
  const { deployment } = render({ serviceAccount: sa });
  expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(true);
});

test('pinned image with explicit pull policy, named ports, probes, and an emptyDir for scratch', () => {
  const { deployment } = render();
  const c = deployment.spec.template.spec.containers[0];
  expect(c.image).toBe('docker.io/nginxinc/nginx-unprivileged:1.27.3');
  expect(c.imagePullPolicy).toBe('IfNotPresent');
  expect(c.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
  expect(c.readinessProbe.httpGet.path).toBe('/ready');
  expect(c.livenessProbe.httpGet.path).toBe('/live');
  expect(c.startupProbe).toBeUndefined();
  expect(c.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'web-tmp' }]);
  expect(deployment.spec.template.spec.volumes).toEqual([{ name: 'web-tmp', emptyDir: { sizeLimit: '16Mi' } }]);
});

test('pods are selected by stable recommended labels, not construct-path hashes', () => {
  const { deployment } = render();
  expect(deployment.spec.selector).toEqual({
    matchLabels: { 'app.kubernetes.io/instance': 'suoke-life-fixture', 'app.kubernetes.io/name': 'web' },
  });
  expect(deployment.spec.template.metadata.labels).toMatchObject({
    'app.kubernetes.io/component': 'frontend',
    'app.kubernetes.io/version': '1.2.3',
  });
  expect(JSON.stringify(deployment)).not.toMatch(/cdk8s\.io\/metadata\.addr/);
});

test('replicas are left out when unset (an autoscaler owns them), and spread is soft', () => {
  const { deployment } = render({ replicas: undefined, spreadAcrossNodes: true });
  expect(deployment.spec.replicas).toBeUndefined();
  expect(deployment.spec.template.spec.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
    ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
  ]);
});

test('the rendered workload passes the policy, apart from the namespace baseline it lacks here', () => {
  const rules = checkPolicy(render({ replicas: 1 }).objects).map((v) => v.rule);
  expect(rules).toEqual(['netpol-default-deny']);
});

test('a hardened workload outside a Component is refused', () => {
  const chart = new PlatformChart(new App(), 'bare', { environment, fileName: '99-bare', component: 'test' });
  expect(() => new HardenedDeployment(chart, 'd', { name: 'd', runAs: { user: 1, group: 1 }, containers: [] })).toThrow(
    /inside a Component/,
  );
});
