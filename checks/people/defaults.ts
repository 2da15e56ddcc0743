import type { PeopleSettings } from './settings.js';

/** The people settings of a deployment with no `people` section: links by email, login and identity only. */
export const DEFAULT_PEOPLE_SETTINGS: PeopleSettings = {
  mappings: [],
  serviceAccounts: [],
  iamEmailTag: 'email',
};

/** Settings read once, on first use: a check built at start-up reads the mapping file only when it judges. */
export type PeopleSettingsSource = () => PeopleSettings;

export function once(read: () => PeopleSettings): PeopleSettingsSource {
  let settings: PeopleSettings | undefined;
  return () => (settings ??= read());
}
