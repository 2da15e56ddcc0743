import v8 from 'node:v8';

/**
 * V8 sizes its heap for throughput. Over a long export (a million rows streamed from the store into a
 * CSV and a workbook) it doubles the young generation up to 2 × 64 MB and lets the old one grow to several
 * times what is live before a full collection, though almost nothing stays live: a heap snapshot at 150,000
 * rows holds 46 MB, the process 400 MB. While a package is written, V8 is asked to favour memory: the
 * young generation stops growing and the old one grows to 1.5 × its live size. This costs about a tenth
 * more CPU and took a 250,000-item export from 390 to about 230 MB peak RSS.
 *
 * Both are V8's own tuning knobs, read when V8 next resizes a space (not only at start), and reset to
 * V8's defaults when the last export of the process ends. A process started with either flag (on its
 * command line or in NODE_OPTIONS) keeps the value it was given.
 */
const TUNING = [
  { flag: '--semi-space-growth-factor', frugal: 1, fallback: 2 },
  { flag: '--heap-growing-percent', frugal: 50, fallback: 0 },
] as const;

let exporting = 0;

function givenAtStart(flag: string): boolean {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return given.includes(flag) || given.includes(flag.replaceAll('-', '_').replace(/^__/, '--'));
}

function tune(to: 'frugal' | 'fallback'): void {
  for (const knob of TUNING) if (!givenAtStart(knob.flag)) v8.setFlagsFromString(`${knob.flag}=${knob[to]}`);
}

/** Runs `work` with V8 favouring memory over speed, for as long as any export of the process runs. */
export async function withFrugalHeap<T>(work: () => Promise<T>): Promise<T> {
  if (exporting === 0) tune('frugal');
  exporting += 1;
  try {
    return await work();
  } finally {
    exporting -= 1;
    if (exporting === 0) tune('fallback');
  }
}
