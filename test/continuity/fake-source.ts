import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake source answers for one stream: events, an empty hour, or a revoked credential. */
export type Behaviour = 'active' | 'quiet' | 'unauthorized' | 'broken';

/**
 * A tiny local HTTP source the test connector reads: GET /events?stream=ID&from=MS&to=MS answers one
 * event per window while `active`, none while `quiet`, 401 while `unauthorized`, 503 while `broken`.
 */
export class FakeSource {
  readonly behaviour = new Map<string, Behaviour>();
  requests = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.requests += 1;
      const url = new URL(request.url ?? '/', 'http://localhost');
      const stream = url.searchParams.get('stream') ?? '';
      const from = Number(url.searchParams.get('from'));
      const behaviour = this.behaviour.get(stream) ?? 'active';
      if (behaviour === 'broken') {
        response.writeHead(503).end('unavailable');
        return;
      }
      if (behaviour === 'unauthorized') {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Bad credentials' }));
        return;
      }
      const events = behaviour === 'active' ? [{ id: `${stream}-${from}`, at: from + 60_000 }] : [];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ events }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
