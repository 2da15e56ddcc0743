/**
 * The people files of a package by name, without period or extension: the writers name their files from
 * these and the index lists each under its criteria by them, so a renamed file cannot fall out of the index.
 */
export const PEOPLE_FILE_NAMES = {
  workforce: 'CC6.1_Workforce_',
  joinersMoversLeavers: 'CC6.2_Joiners_Movers_Leavers_',
  leaverAccessRemoval: 'CC6.2_Leaver_Access_Removal_',
  orphanAccounts: 'CC6.1_Orphan_Accounts_',
  mfaPerPerson: 'CC6.1_MFA_Per_Person_',
} as const;

export type PeopleFile = keyof typeof PEOPLE_FILE_NAMES;

/** A people file's name for a period, e.g. `CC6.1_Workforce_2026-Q3`, without its extension. */
export const peopleFileName = (file: PeopleFile, label: string): string =>
  `${PEOPLE_FILE_NAMES[file]}${label}`;
