/**
 * The one naming convention of the package (the seed article's step 3, "standardise evidence naming"):
 * `<criterion>_<Evidence_Name>_<period>.<ext>`, e.g. `CC8.1_Production_Changes_2026-Q2.xlsx`.
 * Artefacts follow it too, so an auditor finds the evidence for a criterion by sorting the folder.
 */

/** A criterion (CC8.1) or, for the statement of applicability, the system description (DC200). */
const CRITERION = String.raw`(?:CC|A|C|PI|P)\d+\.\d+|DC200`;
const EVIDENCE_NAME = String.raw`[A-Z0-9][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*`;
const PERIOD = String.raw`\d{4}(?:-(?:Q[1-4]|H[12]|\d{2}))?|\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}`;

export const NAMING_CONVENTION = '<criterion>_<Evidence_Name>_<period>.<ext>';
const PATTERN = new RegExp(`^(${CRITERION})_(${EVIDENCE_NAME})_(${PERIOD})\\.([a-z0-9]+)$`);

export interface ParsedName {
  readonly criterion: string;
  readonly evidenceName: string;
  readonly period: string;
  readonly ext: string;
}

export function parseEvidenceFileName(name: string): ParsedName | undefined {
  const match = PATTERN.exec(name);
  if (!match) return undefined;
  return { criterion: match[1]!, evidenceName: match[2]!, period: match[3]!, ext: match[4]! };
}

/** "Joiner-Mover-Leaver records" → "Joiner_Mover_Leaver_Records". */
export function toEvidenceName(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('_');
}

export function evidenceFileName(
  criterion: string,
  evidenceName: string,
  period: string,
  ext: string,
): string {
  const name = `${criterion}_${evidenceName}_${period}.${ext.toLowerCase()}`;
  if (!PATTERN.test(name)) throw new Error(`"${name}" does not follow ${NAMING_CONVENTION}`);
  return name;
}

/** The file name's extension, lower case, or "bin" when it has none. */
export function extensionOf(fileName: string): string {
  const match = /\.([A-Za-z0-9]+)$/.exec(fileName);
  return match ? match[1]!.toLowerCase() : 'bin';
}
