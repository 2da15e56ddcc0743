import { citationText, paragraphText, todoText, type SystemDescription } from './model.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The same draft as the DOCX, in Markdown: headings, paragraphs with sources, tables, markers. */
export function renderMarkdown(doc: SystemDescription, sourcesNote: string): string {
  const lines: string[] = [`# ${doc.title}`, ''];
  for (const section of doc.sections) {
    lines.push(`${section.level === 1 ? '##' : '###'} ${section.heading}`, '');
    for (const block of section.blocks) {
      if (block.kind === 'paragraph') lines.push(paragraphText(block), '');
      else if (block.kind === 'todo') lines.push(`**${todoText(block.text)}**`, '');
      else {
        lines.push(`| ${block.headers.map(cell).join(' | ')} |`);
        lines.push(`| ${block.headers.map(() => '---').join(' | ')} |`);
        for (const row of block.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
        lines.push('');
      }
    }
  }
  lines.push('## Package files referred to', '', sourcesNote, '');
  for (const cite of doc.cited) lines.push(`- ${citationText(cite)}`);
  return `${lines.join('\n')}\n`;
}
