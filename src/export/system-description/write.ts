import type { PeriodFindings } from '../../checks/judge-period.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../../app.js';
import { UsageError } from '../../errors.js';
import type { AuditPeriod } from '../audit-period.js';
import { sha256File } from '../file-hash.js';
import { evidenceFileName } from '../naming.js';
import { buildSystemDescription } from './build.js';
import { renderDocx } from './docx.js';
import { renderMarkdown } from './markdown.js';
import type { SystemDescription } from './model.js';

export type DescriptionFormat = 'docx' | 'md';

/** DC200_System_Description_<period>.docx: the package's naming convention. */
export function systemDescriptionFileName(period: AuditPeriod, format: DescriptionFormat = 'docx'): string {
  return evidenceFileName('DC200', 'System_Description', period.label, format);
}

export function formatOf(file: string): DescriptionFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.docx') return 'docx';
  if (ext === '.md') return 'md';
  throw new UsageError(`--out: expected a file ending in .docx or .md, got "${file}"`);
}

/**
 * Cited files carry their SHA-256 when the draft is written inside a package. The manifest's own hash
 * cannot be in a file the manifest lists: export prints it, to hand over beside this draft.
 */
async function withPackageHashes(doc: SystemDescription, packageDir: string): Promise<SystemDescription> {
  const cited = await Promise.all(
    doc.cited.map(async (cite) => {
      if (cite.sha256) return cite;
      try {
        return { ...cite, sha256: await sha256File(path.join(packageDir, cite.file)) };
      } catch {
        return cite;
      }
    }),
  );
  return { ...doc, cited };
}

function sourcesNote(packageDir: string | undefined, period: AuditPeriod): string {
  return packageDir
    ? `Written inside the auditor package for ${period.label}; MANIFEST.json lists every file with its SHA-256, and its own hash is handed over separately.`
    : `The files of the auditor package for ${period.label} (evidence-worker export --period ${period.label}); row counts are those of the store when this draft was written.`;
}

export async function writeSystemDescription(
  app: App,
  period: AuditPeriod,
  file: string,
  options: { packageDir?: string; findings?: PeriodFindings } = {},
): Promise<SystemDescription> {
  const format = formatOf(file);
  let doc = await buildSystemDescription(app, period, options.findings);
  if (options.packageDir) doc = await withPackageHashes(doc, options.packageDir);
  const note = sourcesNote(options.packageDir, period);
  const content = format === 'docx' ? await renderDocx(doc, note) : renderMarkdown(doc, note);
  await writeFile(file, content);
  return doc;
}
