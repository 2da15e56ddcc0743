export { startOktaSandbox, OKTA_SANDBOX_CLIENT_ID } from './server.js';
export type { OktaSandbox, OktaSandboxOptions } from './server.js';
export { oktaUserId } from './model.js';
