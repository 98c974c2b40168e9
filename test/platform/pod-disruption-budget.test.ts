import { App } from 'cdk8s';
import { Component } from '../../lib/platform/component';
import { PlatformChart } from '../../lib/platform/platform-chart';
import { PodDisruptionBudget } from '../../lib/platform/pod-disruption-budget';
import { renderCharts } from '../../lib/synth/render-environment';
import { fixtureEnvironment, platformFixture } from '../support/fixture-settings';

const environment = fixtureEnvironment(platformFixture());

function chart() {
  const c = new PlatformChart(new App(), 'test', { environment, fileName: '99-test', component: 'test' });
  return { chart: c, component: new Component(c, 'web', { name: 'web', component: 'frontend', version: '1.0.0' }) };
}

test('a budget of one pod at a time over the workload’s selector, labelled like the workload', () => {
  const { chart: c, component } = chart();
  new PodDisruptionBudget(component, 'pdb', { name: 'web', selector: { 'app.kubernetes.io/name': 'web' } });
  const [pdb] = renderCharts(environment, [c]).files[0].objects;
  expect(pdb.apiVersion).toBe('policy/v1');
  expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } });
  expect(pdb.metadata.labels?.['app.kubernetes.io/component']).toBe('frontend');
});

test('maxUnavailable below 1 is refused with the value', () => {
  const { component } = chart();
  expect(() => new PodDisruptionBudget(component, 'pdb', { name: 'web', selector: {}, maxUnavailable: 0 })).toThrow(
    /web: maxUnavailable must be a whole number >= 1, got 0/,
  );
});
