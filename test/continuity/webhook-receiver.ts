import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real local HTTP endpoint standing in for Slack or a JSON consumer; can fail the next N requests. */
export class WebhookReceiver {
  readonly received: Record<string, unknown>[] = [];
  failNext = 0;
  attempts = 0;
  private server: Server | undefined;
  /** Carries a secret-looking path, like a Slack incoming webhook. */
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.attempts += 1;
        if (this.failNext > 0) {
          this.failNext -= 1;
          response.writeHead(500).end('temporarily broken');
          return;
        }
        this.received.push(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>);
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/services/T000/B000/SECRETxTOKEN`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
