import { App } from 'cdk8s';
import { PlatformChart } from '../../lib/platform/platform-chart';
import { PeerList, PodNetworkPolicy } from '../../lib/platform/pod-network-policy';
import { renderCharts } from '../../lib/synth/render-environment';
import { fixtureEnvironment, platformFixture } from '../support/fixture-settings';

const environment = fixtureEnvironment(platformFixture());
const chart = () => new PlatformChart(new App(), 'test', { environment, fileName: '99-test', component: 'test' });
const render = (c: PlatformChart) => renderCharts(environment, [c]).files[0].objects[0].spec;

const gateway = { podLabels: { app: 'gateway' } };
const agents = { podLabels: { 'suoke.life/agent-client': 'true' } };
const prometheus = { podLabels: { app: 'prometheus' } };

describe('peers added after the policy is created (a client built after the server)', () => {
  test('are rendered in the order they were added, in the rule that holds the list', () => {
    const c = chart();
    const clients = new PeerList();
    new PodNetworkPolicy(c, 'policy', {
      name: 'redis',
      podLabels: { app: 'redis' },
      ingress: [
        { peers: [clients], ports: [{ port: 6379 }] },
        { peers: [prometheus], ports: [{ port: 9121 }] },
      ],
    });
    clients.add(gateway);
    clients.add(agents);
    expect(render(c).ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: gateway.podLabels } }, { podSelector: { matchLabels: agents.podLabels } }],
        ports: [{ port: 6379, protocol: 'TCP' }],
      },
      { from: [{ podSelector: { matchLabels: prometheus.podLabels } }], ports: [{ port: 9121, protocol: 'TCP' }] },
    ]);
  });

  test('keep their place among the peers given at creation', () => {
    const c = chart();
    const callers = new PeerList();
    new PodNetworkPolicy(c, 'policy', {
      name: 'gateway',
      podLabels: gateway.podLabels,
      ingress: [{ peers: [callers, prometheus], ports: [{ port: 4000 }] }],
    });
    callers.add(agents);
    expect(render(c).ingress[0].from.map((p: any) => p.podSelector.matchLabels)).toEqual([agents.podLabels, prometheus.podLabels]);
  });

  test('a rule whose lists stayed empty is left out: nobody asked to connect, so nobody may (never "from anywhere")', () => {
    const c = chart();
    new PodNetworkPolicy(c, 'policy', {
      name: 'redis',
      podLabels: { app: 'redis' },
      ingress: [
        { peers: [new PeerList()], ports: [{ port: 6379 }] },
        { peers: [prometheus], ports: [{ port: 9121 }] },
      ],
    });
    expect(render(c).ingress).toEqual([
      { from: [{ podSelector: { matchLabels: prometheus.podLabels } }], ports: [{ port: 9121, protocol: 'TCP' }] },
    ]);
  });

  test('an empty list of given peers still means any peer, as before', () => {
    const c = chart();
    new PodNetworkPolicy(c, 'policy', { name: 'open', podLabels: { app: 'web' }, egress: [{ peers: [], ports: [{ port: 443 }] }] });
    expect(render(c).egress).toEqual([{ ports: [{ port: 443, protocol: 'TCP' }] }]);
  });
});
