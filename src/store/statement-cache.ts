import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** How many distinct SQL texts keep their prepared statement: the store issues a few hundred shapes. */
const LIMIT = 512;

/**
 * The SQLite database as Kysely sees it, with its prepared statements kept by SQL text: Kysely prepares
 * every query anew, which costs more than running most of them. A statement still being iterated (a
 * streamed population) is busy and cannot run twice at once, so a busy one is prepared afresh instead.
 * Only Kysely's queries go through here; code using the database directly prepares its own.
 */
export function cachingDatabase(database: Database): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const kept = cache.get(sql);
      if (kept && !kept.busy) return kept;
      const statement = database.prepare(sql);
      if (!kept) {
        if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
