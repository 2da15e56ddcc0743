import { z } from 'zod';

/** A row of the mapping file: this account in this system belongs to the person with this email. */
export const accountMappingSchema = z
  .object({
    system: z.string().min(1, 'expected the system, e.g. "GitHub"'),
    account: z.string().min(1, 'expected the account id in that system'),
    person: z.email("expected the person's work email"),
  })
  .strict();
export type AccountMapping = z.infer<typeof accountMappingSchema>;

export const serviceAccountSchema = z
  .object({
    system: z.string().min(1, 'expected the system, e.g. "GitHub"'),
    account: z.string().min(1, 'expected the account id in that system'),
    owner: z.email("expected the owner's work email"),
    reason: z.string().min(1, 'expected why the account exists'),
  })
  .strict();
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

/** The `people` section of the config, with the mapping file already read. */
export interface PeopleSettings {
  readonly mappings: readonly AccountMapping[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly iamEmailTag: string;
}
