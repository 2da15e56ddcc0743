import type { AnyConnector } from './stream.js';
import { awsConnector } from '../connectors/aws/index.js';
import { githubConnector } from '../connectors/github/index.js';
import { googleWorkspaceConnector } from '../connectors/google-workspace/index.js';
import { oktaConnector } from '../connectors/okta/index.js';

/** The connectors shipped with evidence-worker; each lives in its own folder under connectors/. */
export const builtInConnectors: readonly AnyConnector[] = [
  awsConnector,
  githubConnector,
  oktaConnector,
  googleWorkspaceConnector,
];
