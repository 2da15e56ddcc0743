/**
 * The system description draft (DC 200, Section III) as data: sections of paragraphs, tables and
 * `[to complete: …]` markers. The DOCX and Markdown renderers draw the same model, so both say the same.
 */

/** Where a figure comes from: a package file and its row count, or an artefact's locker hash. */
export interface Citation {
  readonly file: string;
  readonly rows?: number;
  readonly sha256?: string;
}

export type Block =
  | { readonly kind: 'paragraph'; readonly text: string; readonly cites?: readonly Citation[] }
  /** What only a person can write: rendered as `[to complete: …]`. */
  | { readonly kind: 'todo'; readonly text: string }
  | {
      readonly kind: 'table';
      readonly headers: readonly string[];
      readonly rows: readonly (readonly string[])[];
    };

export interface Section {
  readonly heading: string;
  readonly level: 1 | 2;
  readonly blocks: readonly Block[];
}

export interface SystemDescription {
  readonly title: string;
  readonly periodLabel: string;
  readonly sections: readonly Section[];
  /** Every package file the draft cites, for its last section. */
  readonly cited: readonly Citation[];
}

export const TODO_PREFIX = '[to complete: ';

export const todoText = (text: string) => `${TODO_PREFIX}${text}]`;

export function citationText(cite: Citation): string {
  const parts = [cite.file];
  if (cite.rows !== undefined) parts.push(`${cite.rows} ${cite.rows === 1 ? 'row' : 'rows'}`);
  if (cite.sha256) parts.push(`sha256 ${cite.sha256}`);
  return parts.join(', ');
}

/** A paragraph's text with its sources, as both renderers print it. */
export function paragraphText(block: { text: string; cites?: readonly Citation[] }): string {
  if (!block.cites?.length) return block.text;
  return `${block.text} (source: ${block.cites.map(citationText).join('; ')})`;
}

export const paragraph = (text: string, cites?: readonly Citation[]): Block =>
  cites?.length ? { kind: 'paragraph', text, cites } : { kind: 'paragraph', text };
export const todo = (text: string): Block => ({ kind: 'todo', text });
export const table = (headers: readonly string[], rows: readonly (readonly string[])[]): Block => ({
  kind: 'table',
  headers,
  rows,
});
