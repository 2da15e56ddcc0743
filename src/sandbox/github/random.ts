import { createHash } from 'node:crypto';

export { seededRandom } from '../seeded-random.js';

/** A stable 40-hex "commit SHA" from any text. */
export function fakeSha(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
