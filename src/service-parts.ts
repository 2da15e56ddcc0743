import { continuityServicePart } from './continuity/service-part.js';
import { httpServicePart } from './http/service-part.js';
import { servicePartFactories } from './service.js';

/**
 * Parts that `start` runs beside the planner and the workers. Each module registers its factory here;
 * the core never imports them directly.
 */
export function registerServiceParts(): void {
  if (servicePartFactories.length > 0) return;
  servicePartFactories.push(continuityServicePart);
  servicePartFactories.push(httpServicePart);
}
