import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Alertmanager webhook notification (the fields the tests read). */
export interface WebhookNotification {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: { status: 'firing' | 'resolved'; labels: Record<string, string>; annotations: Record<string, string> }[];
}

/** A test HTTP receiver standing in for the pager / ticket webhooks: records every notification. */
export class WebhookReceiver {
  readonly notifications: WebhookNotification[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const receiver: WebhookReceiver = new WebhookReceiver(
      createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          receiver.notifications.push(JSON.parse(body) as WebhookNotification);
          res.end('ok');
        });
      }),
    );
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Every alert received with this name and status, with the receiver that got it. */
  alerts(alertname: string, status: 'firing' | 'resolved') {
    return this.notifications.flatMap((n) =>
      n.alerts.filter((a) => a.labels.alertname === alertname && a.status === status).map((a) => ({ ...a, receiver: n.receiver })),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A long-running binary (Prometheus, Alertmanager) stopped by PID; its output kept for failures. */
export class Daemon {
  private output = '';
  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
  }

  static async start(command: string, args: string[], readyUrl: string): Promise<Daemon> {
    const daemon = new Daemon(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    await until(
      async () => {
        if (daemon.child.exitCode !== null) throw new Error(`${command} exited:\n${daemon.log}`);
        return (await fetch(readyUrl).catch(() => undefined))?.ok ?? false;
      },
      `${command} ready`,
      30_000,
    );
    return daemon;
  }

  get log(): string {
    return this.output.slice(-3000);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.pid === undefined) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    process.kill(this.child.pid, 'SIGTERM');
    await exited;
  }
}

/** Polls `condition` every 250 ms until true; fails after `timeoutMs` naming `what`. */
export async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
