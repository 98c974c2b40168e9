import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the sink received. */
export interface ReceivedNotification {
  /** Request path: the harness gives every receiver's URL its own path. */
  readonly path: string;
  /** The JSON body (Alertmanager's webhook or Slack payload). */
  readonly body: any;
  /** When it arrived (ms since the epoch). */
  readonly at: number;
}

/**
 * A local HTTP endpoint on 127.0.0.1 that records every POST, standing in for the on-call
 * webhook, Slack and any other HTTP receiver. It answers 200 so Alertmanager counts the
 * notification as delivered.
 */
export class WebhookSink {
  public readonly received: ReceivedNotification[] = [];
  private server?: http.Server;
  private port = 0;

  /** Starts listening on a free loopback port. */
  public async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep the raw text
        }
        this.received.push({ path: req.url ?? '/', body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The URL a receiver should post to; `name` becomes the path, so deliveries can be told apart. */
  public url(name: string): string {
    return `http://127.0.0.1:${this.port}/${encodeURIComponent(name)}`;
  }

  /** Notifications that reached the URL made for `name`. */
  public to(name: string): ReceivedNotification[] {
    return this.received.filter((r) => r.path === `/${encodeURIComponent(name)}`);
  }

  /** Stops listening. */
  public async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
