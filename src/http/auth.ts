import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UsageError } from '../errors.js';

/** Routes an orchestrator probes without credentials: liveness says nothing about the evidence. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/healthz']);

/** True for addresses only this machine can reach; anything else (0.0.0.0, ::, a LAN IP, a name) is exposed. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare.startsWith('::ffff:127.');
}

/**
 * The token the server demands, or undefined when it is bound to loopback. Bound anywhere else without
 * STATUS_TOKEN is a configuration mistake, reported before anything listens.
 */
export function requiredToken(host: string, env: NodeJS.ProcessEnv): string | undefined {
  if (isLoopback(host)) return undefined;
  const token = env.STATUS_TOKEN?.trim();
  if (!token) {
    throw new UsageError(
      `http.host is ${host}, which is reachable from other machines: set STATUS_TOKEN (every route but /healthz then needs "Authorization: Bearer <token>"), or bind http.host to 127.0.0.1`,
    );
  }
  if (token.length < 16) throw new UsageError('STATUS_TOKEN must be at least 16 characters long');
  return token;
}

// Comparing fixed-length digests keeps the comparison constant-time whatever length the caller sends.
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const presented = digest(match?.[1] ?? '');
  return timingSafeEqual(presented, expected) && match !== null;
}

/** Adds the bearer check in front of every route, Bull Board's included (hooks reach child plugins). */
export function installAuth(server: FastifyInstance, token: string | undefined): void {
  if (token === undefined) return;
  const expected = digest(token);
  server.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    if (PUBLIC_PATHS.has(path)) return;
    if (tokenMatches(request.headers.authorization, expected)) return;
    // The header itself is never logged: only that it was missing or wrong.
    request.log.warn({ path, presented: request.headers.authorization ? 'wrong' : 'none' }, 'unauthorised');
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="evidence-worker"')
      .type('text/plain; charset=utf-8')
      .send('401 unauthorised: send "Authorization: Bearer <STATUS_TOKEN>"\n');
  });
}
