import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import type { YamlMap } from '../../lib/config/deep-merge';
import { loadChanged, problemsWith } from '../support/config-changes';
import { CONFIG_DIR, configProblems } from '../support/environments';

/** Problems of an environment with `exposure` changed by `patch` (maps merge, lists replace). */
const withExposure = (patch: YamlMap, environment = 'dev') =>
  problemsWith({ merge: { [`${environment}.yaml`]: { exposure: patch } } }, environment);

/** A complete Ingress exposure, for dev. */
const INGRESS: YamlMap = {
  mode: 'ingress',
  hosts: { gateway: 'api.dev.example.com' },
  controller: { namespace: 'ingress-nginx' },
  ingress: { className: 'nginx', tls: { secretName: 'dev-tls' } },
};

/** Bad exposure settings stop synthesis with file, field, expected and found. */
describe('exposure config', () => {
  test('a complete Ingress exposure loads', () => {
    expect(loadChanged({ merge: { 'dev.yaml': { exposure: INGRESS } } }).settings.exposure.mode).toBe('ingress');
  });

  test('an unknown mode', () => {
    expect(withExposure({ mode: 'loadBalancer' })).toEqual([
      'dev.yaml: exposure.mode: expected one of: none, ingress, httpRoute, found "loadBalancer"',
    ]);
  });

  test('a mode without what it needs', () => {
    expect(withExposure({ mode: 'ingress' })).toEqual([
      'dev.yaml: exposure.hosts: expected exposure.hosts (exposure.mode is "ingress"), found nothing (the field is missing)',
      'dev.yaml: exposure.controller: expected exposure.controller (exposure.mode is "ingress"), found nothing (the field is missing)',
      'dev.yaml: exposure.ingress: expected exposure.ingress (exposure.mode is "ingress"), found nothing (the field is missing)',
    ]);
  });

  test('settings that have no effect in mode none', () => {
    expect(withExposure({ hosts: { gateway: 'api.dev.example.com' } })).toEqual([
      'dev.yaml: exposure.hosts: expected nothing: exposure.mode is "none", so exposure.hosts has no effect, found a map with keys [gateway]',
    ]);
  });

  test('Ingress TLS with an HTTPRoute, which terminates TLS at the Gateway', () => {
    const problems = withExposure({
      ...INGRESS,
      mode: 'httpRoute',
      httpRoute: { gateway: { name: 'shared' }, scheme: 'https' },
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^dev\.yaml: exposure\.ingress: expected nothing: exposure\.mode is "httpRoute", .*TLS terminates at the Gateway listener/,
      ),
    ]);
  });

  test('no host at all', () => {
    expect(withExposure({ ...INGRESS, hosts: {} })).toEqual([
      'dev.yaml: exposure.hosts: expected a host for at least one service: exposure.hosts.gateway or exposure.hosts.grafana, found a map with keys []',
    ]);
  });

  test('one host for two services', () => {
    expect(withExposure({ ...INGRESS, hosts: { gateway: 'ops.example.com', grafana: 'ops.example.com' } })).toEqual([
      'dev.yaml: exposure.hosts.grafana: expected a host other than exposure.hosts.gateway (ops.example.com), found "ops.example.com"',
    ]);
  });

  test('a host that is not a fully qualified name', () => {
    expect(withExposure({ ...INGRESS, hosts: { gateway: '*.example.com' } })).toEqual([
      expect.stringMatching(/^dev\.yaml: exposure\.hosts\.gateway: expected a fully qualified host name .*, found "\*\.example\.com"$/),
    ]);
  });

  test('TLS from both an issuer and a Secret', () => {
    expect(
      withExposure({ ...INGRESS, ingress: { className: 'nginx', tls: { secretName: 'dev-tls', issuer: { kind: 'Issuer', name: 'ca' } } } }),
    ).toEqual([
      'dev.yaml: exposure.ingress.tls: expected exactly one of issuer (cert-manager) and secretName (an existing TLS Secret), found both',
    ]);
  });

  test('TLS from neither', () => {
    expect(withExposure({ ...INGRESS, ingress: { className: 'nginx', tls: {} } })).toEqual([
      'dev.yaml: exposure.ingress.tls: expected exactly one of issuer (cert-manager) and secretName (an existing TLS Secret), found neither',
    ]);
  });

  test('an issuer kind cert-manager does not have', () => {
    expect(withExposure({ ...INGRESS, ingress: { className: 'nginx', tls: { issuer: { kind: 'Vault', name: 'ca' } } } })).toEqual([
      'dev.yaml: exposure.ingress.tls.issuer.kind: expected one of: Issuer, ClusterIssuer, found "Vault"',
    ]);
  });

  test('plain HTTP is allowed outside production', () => {
    const dev = loadChanged({ merge: { 'dev.yaml': { exposure: { ...INGRESS, ingress: { className: 'nginx' } } } } });
    expect(dev.settings.exposure.ingress?.tls).toBeUndefined();
  });

  test('plain HTTP in production', () => {
    const prod = yaml.load(fs.readFileSync(path.join(CONFIG_DIR, 'prod.yaml'), 'utf8'), { schema: yaml.CORE_SCHEMA }) as any;
    delete prod.exposure.ingress.tls;
    expect(configProblems({ 'prod.yaml': yaml.dump(prod) }, 'prod')).toEqual([
      'prod.yaml: exposure.ingress.tls: expected TLS (an issuer or a secretName) where platform.production is true, found nothing (the field is missing)',
    ]);
  });
});
