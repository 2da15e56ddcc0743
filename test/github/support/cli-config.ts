import { writeConfig } from '../../support/cli.js';
import { freshRedisPrefix, freshStoreUrl } from '../../support/stores.js';

/** A day as the CLI's --from and --to take it. */
export const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** A config file for the real CLI: a fresh SQLite store and Redis prefix, acme/api of the sandbox at `url`. */
export const githubCliConfig = (url: string) =>
  writeConfig(`store:
  url: ${freshStoreUrl('sqlite')}
redis:
  prefix: ${freshRedisPrefix()}
connectors:
  github:
    org: acme
    repos: [acme/api]
    baseUrl: ${url}
    graphqlInterval: 0s
`);
