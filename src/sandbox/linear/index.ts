export {
  startLinearSandbox,
  type LinearGroundTruthTicket,
  type LinearSandbox,
  type LinearSandboxOptions,
} from './server.js';
