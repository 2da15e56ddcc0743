export { startGithubSandbox, type GithubSandbox, type SandboxOptions } from './server.js';
export type { GroundTruth, GroundTruthCommit } from './ground-truth.js';
export type { FaultSettings, GithubFaults } from './faults.js';
export { WITHOUT_SAML_IDENTITY } from './membership.js';
