/**
 * Tiny HTML helpers shared by the status page and the auditor package. Everything that came from data
 * (stream ids, error codes, reasons) goes through `escapeHtml`: error messages can carry source text.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/** UTC, minute precision: what an operator and an auditor read ("2026-01-31 14:00 UTC"). */
export function formatUtc(at: number): string {
  const text = new Date(at).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** A compact human duration ("3d 4h", "45m"). */
export function humanDuration(ms: number): string {
  const abs = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(abs / 1_440);
  const hours = Math.floor((abs % 1_440) / 60);
  const minutes = abs % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes && !days) parts.push(`${minutes}m`);
  return parts.length ? parts.join(' ') : '0m';
}
