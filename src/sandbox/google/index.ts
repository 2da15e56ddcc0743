export { startGoogleSandbox } from './server.js';
export type { GoogleSandbox, GoogleSandboxOptions } from './server.js';
export { googleUserId } from './model.js';
