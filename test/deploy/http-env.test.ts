import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';

describe('HTTP_HOST and HTTP_PORT', () => {
  it('override http.host and http.port, as DATABASE_URL overrides store.url', () => {
    const config = parseConfig(
      { http: { host: '127.0.0.1', port: 9000 } },
      { HTTP_HOST: '0.0.0.0', HTTP_PORT: '8080' },
    );
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseConfig({ http: { port: 9000 } }, {}).http).toEqual({ host: '127.0.0.1', port: 9000 });
  });

  it('refuses a port that is not one, naming the variable', () => {
    expect(() => parseConfig({}, { HTTP_PORT: 'eighty' })).toThrow(UsageError);
    expect(() => parseConfig({}, { HTTP_PORT: '70000' })).toThrow(/^HTTP_PORT: expected a port number/);
  });
});
