import { z } from 'zod';
import { queueSettingsShape } from '../../src/connector-settings.js';
import { durationSchema } from '../../src/time.js';

/**
 * `connectors.linear`: which teams hold the change tickets. Credentials come from the environment:
 * LINEAR_API_KEY (a personal API key) or LINEAR_OAUTH_TOKEN (an OAuth 2.0 access token).
 */
export const linearConfigSchema = z
  .object({
    teams: z
      .array(z.string().regex(/^[A-Z][A-Z0-9]{0,6}$/, 'expected a Linear team key like "ENG"'))
      .min(1, 'expected at least one team key'),
    /** The GraphQL endpoint: Linear's own unless set (the local sandbox). */
    apiUrl: z.url('expected the GraphQL endpoint URL').optional(),
    /** A file holding the API key, instead of LINEAR_API_KEY. */
    apiKeyFile: z.string().min(1).optional(),
    /**
     * Issues per page. Linear scores a query by the connections it asks for (issues x history x
     * attachments); 25 keeps a page well under the 10,000-point limit of one query.
     */
    pageSize: z.number().int().min(1).max(100).default(25),
    timeout: durationSchema.optional(),
    ...queueSettingsShape,
  })
  .strict();

export type LinearConfig = z.infer<typeof linearConfigSchema>;
