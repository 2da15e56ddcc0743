/** The organisation's people; the access model and the commit history draw from the same names. */
export const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'] as const;
