import * as http from 'node:http';
import * as net from 'node:net';
import type { HealthProtocol } from '../platform/deploy-targets';
import type { Kubectl } from './kubectl';

/** One probe's outcome, as the status table shows it. */
export interface ProbeResult {
  readonly ok: boolean;
  /** `ok (HTTP 200 /health/readiness)`, `FAILED: HTTP/1.1 503 Service Unavailable`, … */
  readonly result: string;
}

/** What a health check probes once a local port reaches the Service. */
export interface ProbeTarget {
  readonly protocol: HealthProtocol;
  /** @default '/' */
  readonly path?: string;
}

const REPLY_TIMEOUT_MS = 10_000;
const FORWARD_TIMEOUT_MS = 15_000;

/** GET `path` on a local port; the status line, e.g. `HTTP/1.1 200 OK`, or undefined. */
export function httpStatusLine(port: number, path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers: { Connection: 'close' }, timeout: REPLY_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(`HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd());
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** Sends Redis `PING`; the first line of the reply (`+PONG`, `-NOAUTH …`), or undefined. */
export function redisPing(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.setTimeout(REPLY_TIMEOUT_MS, () => socket.destroy());
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\n')) {
        socket.destroy();
        resolve(reply.split(/\r?\n/)[0]);
      }
    });
    socket.on('error', () => resolve(undefined));
    socket.on('close', () => resolve(reply ? reply.split(/\r?\n/)[0] : undefined));
  });
}

/** Judges a reply: HTTP 200, Redis PONG, or Redis NOAUTH (it answers and requires a password). */
export function judgeReply(target: ProbeTarget, reply: string | undefined): ProbeResult {
  if (target.protocol === 'redis') {
    if (reply?.startsWith('+PONG')) return { ok: true, result: 'ok (PONG)' };
    if (reply?.startsWith('-NOAUTH')) return { ok: true, result: 'ok (answers; authentication required)' };
  } else if (reply && /^HTTP\/1\.\d 200\b/.test(reply)) {
    return { ok: true, result: `ok (HTTP 200 ${target.path ?? '/'})` };
  }
  return { ok: false, result: `FAILED: ${reply || 'no reply'}` };
}

/**
 * Port-forwards to a Service (the operator's own access path, which NetworkPolicies do not block),
 * probes it through the local port kubectl picked, and stops the port-forward whatever happens.
 */
export async function probeService(kubectl: Kubectl, service: string, port: number, target: ProbeTarget): Promise<ProbeResult> {
  const forward = kubectl.start(['port-forward', '--address=127.0.0.1', `svc/${service}`, `:${port}`]);
  let output = '';
  try {
    const localPort = await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), FORWARD_TIMEOUT_MS);
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /^Forwarding from 127\.0\.0\.1:(\d+) /m.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      forward.stdout?.on('data', read);
      forward.stderr?.on('data', read);
      forward.on('error', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
      forward.on('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    if (localPort === undefined) return { ok: false, result: `FAILED: no port-forward to svc/${service}: ${output.split('\n')[0]}` };
    const reply = target.protocol === 'redis' ? await redisPing(localPort) : await httpStatusLine(localPort, target.path ?? '/');
    return judgeReply(target, reply);
  } finally {
    forward.kill();
  }
}
