import type { AnyManifest } from './stream.js';
import { awsManifest } from '../connectors/aws/manifest.js';
import { githubManifest } from '../connectors/github/manifest.js';
import { hrFileManifest } from '../connectors/hr-file/manifest.js';
import { jiraManifest } from '../connectors/jira/manifest.js';
import { linearManifest } from '../connectors/linear/manifest.js';
import { googleWorkspaceManifest } from '../connectors/google-workspace/manifest.js';
import { oktaManifest } from '../connectors/okta/manifest.js';

/**
 * What the shipped connectors declare, without their implementations, in the order of `builtInConnectors`
 * (src/connectors.ts): enough to list and configure their streams.
 */
export const builtInManifests: readonly AnyManifest[] = [
  awsManifest,
  githubManifest,
  jiraManifest,
  linearManifest,
  oktaManifest,
  hrFileManifest,
  googleWorkspaceManifest,
];
