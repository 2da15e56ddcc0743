/**
 * Formula injection (CSV/XLSX "CSV injection"): a spreadsheet treats a cell that begins with =, +, -, @,
 * tab or carriage return as a formula. Evidence payloads come from systems an attacker may write to (a
 * commit message, a branch name), so every text cell that could start a formula gets a leading apostrophe,
 * the OWASP recommendation; the text stays readable and opens as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CellValue = string | number | boolean | null;

export function neutraliseText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Numbers and booleans are typed values, never formulas; only text can smuggle one in. */
export function neutraliseCell(value: CellValue): CellValue {
  return typeof value === 'string' ? neutraliseText(value) : value;
}
