import type { DateFormat } from './config.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;
const SEPARATED = /^(\d{1,2})([/.])(\d{1,2})\2(\d{4})$/;

function valid(year: number, month: number, day: number): string | undefined {
  const at = Date.UTC(year, month - 1, day);
  const date = new Date(at);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * A date cell as YYYY-MM-DD, or undefined when it cannot be read. ISO dates (and XLSX date cells, which
 * arrive as ISO) are always accepted; other spellings follow the export's format, never a guess between
 * day-first and month-first.
 */
export function parseHrDate(text: string, format: DateFormat): string | undefined {
  const iso = ISO.exec(text);
  if (iso) return valid(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const parts = SEPARATED.exec(text);
  if (!parts || format === 'YYYY-MM-DD') return undefined;
  const [first, separator, second, year] = [Number(parts[1]), parts[2], Number(parts[3]), Number(parts[4])];
  if (format === 'MM/DD/YYYY' && separator === '/') return valid(year, first, second);
  if (format === 'DD/MM/YYYY' && separator === '/') return valid(year, second, first);
  if (format === 'DD.MM.YYYY' && separator === '.') return valid(year, second, first);
  return undefined;
}
