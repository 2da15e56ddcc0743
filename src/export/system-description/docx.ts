import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { citationText, paragraphText, todoText, type Block, type SystemDescription } from './model.js';

function tableOf(block: Extract<Block, { kind: 'table' }>): Table {
  const row = (cells: readonly string[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      children: cells.map(
        (text) =>
          new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold: header })] })] }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(block.headers, true), ...block.rows.map((cells) => row(cells, false))],
  });
}

function blockOf(block: Block): Paragraph | Table {
  if (block.kind === 'table') return tableOf(block);
  // Markers are highlighted so the compliance lead finds every place to write.
  if (block.kind === 'todo')
    return new Paragraph({
      children: [new TextRun({ text: todoText(block.text), bold: true, highlight: 'yellow' })],
    });
  return new Paragraph({ text: paragraphText(block) });
}

/** The draft as a Word document a compliance lead edits: DC 200 headings, tables, sources, markers. */
export async function renderDocx(doc: SystemDescription, sourcesNote: string): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [new Paragraph({ text: doc.title, heading: HeadingLevel.TITLE })];
  for (const section of doc.sections) {
    children.push(
      new Paragraph({
        text: section.heading,
        heading: section.level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
      }),
    );
    for (const block of section.blocks) children.push(blockOf(block));
  }
  children.push(new Paragraph({ text: 'Package files referred to', heading: HeadingLevel.HEADING_1 }));
  children.push(new Paragraph({ text: sourcesNote }));
  for (const cite of doc.cited)
    children.push(new Paragraph({ text: citationText(cite), bullet: { level: 0 } }));
  const document = new Document({
    creator: 'evidence-worker',
    title: doc.title,
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
