import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { MonitoringSettings } from './config';
import type { DirectoryMount, LongRunningContainerProps } from '../platform/hardened-container';

/** Port of the reloader's own health and metrics endpoint. */
export const RELOADER_PORT = 8080;

/** The prometheus-config-reloader sidecar: watches directories and POSTs `/-/reload` on change. */
export function configReloaderContainer(
  reloader: MonitoringSettings['configReloader'],
  watchedDirs: readonly string[],
  appPort: number,
  mounts: readonly DirectoryMount[],
): LongRunningContainerProps {
  return {
    name: 'config-reloader',
    image: reloader.image,
    resources: reloader.resources,
    ports: [{ name: 'reloader', number: RELOADER_PORT }],
    args: [
      ...watchedDirs.map((d) => `--watched-dir=${d}`),
      `--reload-url=http://127.0.0.1:${appPort}/-/reload`,
      `--listen-address=:${RELOADER_PORT}`,
    ],
    mounts,
    readiness: kplus.Probe.fromHttpGet('/healthz', { port: RELOADER_PORT }),
    liveness: kplus.Probe.fromHttpGet('/healthz', { port: RELOADER_PORT, periodSeconds: Duration.seconds(30) }),
  };
}
