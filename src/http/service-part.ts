import type { ServicePart, ServicePartFactory } from '../service.js';
import { requiredToken } from './auth.js';
import { createHttpServer, type HttpServer } from './server.js';

/**
 * Runs the HTTP surface inside `start`, in every role: an orchestrator probes workers and planners alike.
 * The token rule is checked when the part is built, so a missing STATUS_TOKEN stops start-up (exit 2).
 */
export const httpServicePart: ServicePartFactory = (app, { producer }): ServicePart => {
  requiredToken(app.config.http.host, app.env);
  let server: HttpServer | undefined;
  return {
    name: 'http',
    async start() {
      server = await createHttpServer(app, { producer });
      await server.listen();
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
  };
};
