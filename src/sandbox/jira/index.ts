export {
  startJiraSandbox,
  type JiraGroundTruthTicket,
  type JiraSandbox,
  type JiraSandboxOptions,
} from './server.js';
