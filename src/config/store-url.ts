// Here, not in src/store: the config loader checks the URL, and `streams` or `catalog` load no store code.
/** The store URLs openStore understands: `file:PATH` (SQLite) and `postgres://` (PostgreSQL). */
export function isStoreUrl(url: string): boolean {
  return url.startsWith('file:') || url.startsWith('postgres://') || url.startsWith('postgresql://');
}

/** Only the scheme: the rest of a store URL may carry a password. */
export function storeUrlScheme(url: string): string {
  return `${url.split(':')[0]}:...`;
}

export const STORE_URL_EXPECTED = 'a URL starting with "file:" or "postgres://"';
