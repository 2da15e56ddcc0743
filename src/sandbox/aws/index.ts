export { startAwsSandbox, type AwsSandbox, type AwsSandboxOptions } from './server.js';
export type { GroundTruth } from './account-history.js';
