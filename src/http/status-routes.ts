import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import type { CollectProducer } from '../collection/collect-producer.js';
import { periodFromQuery } from './period.js';
import { loadStatus } from './status-data.js';
import { renderStatusPage } from './status-page.js';

/** `/` and `/status`: the status page over the audit period, or `?from=&to=` (UTC days, `to` inclusive). */
export function registerStatusRoutes(server: FastifyInstance, app: App, producer: CollectProducer): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const now = app.clock();
    const period = periodFromQuery(request.query, app.config, now);
    if (!period.ok) {
      return reply.code(400).type('text/plain; charset=utf-8').send(`400 bad request: ${period.message}\n`);
    }
    const data = await loadStatus(app, producer, period.period, now);
    // An operator reloads to see fresh state; nothing here should be cached by a proxy.
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(renderStatusPage(data));
  };
  server.get('/', handler);
  server.get('/status', handler);
}
