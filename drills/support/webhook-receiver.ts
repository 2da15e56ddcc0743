import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AlertEventBody {
  source: string;
  event: string;
  alert: { id: string; stream: string; kind: string };
  text: string;
  at: string;
}

/** A local HTTP endpoint standing in for the operator's webhook (`alerts.webhook.format: json`). */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: AlertEventBody[];
  stop(): Promise<void>;
}> {
  const received: AlertEventBody[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertEventBody);
      } catch {
        // Not an alert: answer 400 so a malformed body shows up as a delivery error in the worker's log.
        response.writeHead(400).end();
        return;
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
