import { describeFound } from '../config/config-error';
import type { CrossCheck } from '../platform/component-descriptor';
import type { PlatformSettings } from '../platform/platform-settings';
import type { ExposureSettings } from './config';

/** What the exposure rules read: its section and the platform tier. */
export type ExposureReads = PlatformSettings & { readonly exposure: ExposureSettings };

/** The settings each mode needs, and the ones it ignores. */
const MODE_SECTIONS: Readonly<Record<ExposureSettings['mode'], { needs: readonly string[]; ignores: readonly string[] }>> = {
  none: { needs: [], ignores: ['hosts', 'controller', 'ingress', 'httpRoute'] },
  ingress: { needs: ['hosts', 'controller', 'ingress'], ignores: ['httpRoute'] },
  httpRoute: { needs: ['hosts', 'controller', 'httpRoute'], ignores: ['ingress'] },
};

/** Each mode has what it needs, and nothing it would silently ignore. */
const sectionsOfMode: CrossCheck<ExposureReads> = ({ exposure }) => {
  const { needs, ignores } = MODE_SECTIONS[exposure.mode];
  const value = (key: string) => (exposure as Record<string, unknown>)[key];
  return [
    ...needs
      .filter((key) => value(key) === undefined)
      .map((key) => ({
        path: ['exposure', key],
        expected: `exposure.${key} (exposure.mode is "${exposure.mode}")`,
        found: describeFound(undefined),
      })),
    ...ignores
      .filter((key) => value(key) !== undefined)
      .map((key) => ({
        path: ['exposure', key],
        expected: `nothing: exposure.mode is "${exposure.mode}", so exposure.${key} has no effect${key === 'ingress' ? ' (with httpRoute, TLS terminates at the Gateway listener)' : ''}`,
        found: describeFound(value(key)),
      })),
  ];
};

/** An exposure exposes something, and each host routes to one service. */
const hostsOfExposure: CrossCheck<ExposureReads> = ({ exposure }) => {
  if (exposure.mode === 'none' || !exposure.hosts) return [];
  const { gateway, grafana } = exposure.hosts;
  if (!gateway && !grafana) {
    return [
      {
        path: ['exposure', 'hosts'],
        expected: 'a host for at least one service: exposure.hosts.gateway or exposure.hosts.grafana',
        found: describeFound(exposure.hosts),
      },
    ];
  }
  if (gateway === grafana) {
    return [
      {
        path: ['exposure', 'hosts', 'grafana'],
        expected: `a host other than exposure.hosts.gateway (${gateway})`,
        found: JSON.stringify(grafana),
      },
    ];
  }
  return [];
};

/** TLS names one source: a cert-manager issuer or an existing Secret. */
const oneTlsSource: CrossCheck<ExposureReads> = ({ exposure }) => {
  const tls = exposure.ingress?.tls;
  if (!tls || Boolean(tls.issuer) !== Boolean(tls.secretName)) return [];
  return [
    {
      path: ['exposure', 'ingress', 'tls'],
      expected: 'exactly one of issuer (cert-manager) and secretName (an existing TLS Secret)',
      found: tls.issuer ? 'both' : 'neither',
    },
  ];
};

/** A production-tier environment is not exposed over plain HTTP through an Ingress. */
const tlsInProduction: CrossCheck<ExposureReads> = ({ platform, exposure }) =>
  platform.production && exposure.mode === 'ingress' && exposure.ingress && !exposure.ingress.tls
    ? [
        {
          path: ['exposure', 'ingress', 'tls'],
          expected: 'TLS (an issuer or a secretName) where platform.production is true',
          found: describeFound(undefined),
        },
      ]
    : [];

/** The exposure's cross-field rules. */
export const exposureChecks: readonly CrossCheck<ExposureReads>[] = [sectionsOfMode, hostsOfExposure, oneTlsSource, tlsInProduction];
