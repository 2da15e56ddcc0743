import { stat, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { sha256File, listFiles } from './file-hash.js';
import type { LedgerRange } from './ledger-range.js';

export const MANIFEST_FILE = 'MANIFEST.json';

const manifestSchema = z.object({
  tool: z.object({ name: z.string(), version: z.string() }),
  generatedAt: z.string(),
  period: z.object({ label: z.string(), start: z.string(), end: z.string() }),
  configSha256: z.string(),
  /** Every check that judged the package, with the policy in force (absent in packages before checks). */
  checks: z
    .array(
      z.object({
        id: z.string(),
        version: z.number(),
        streams: z.array(z.string()),
        policy: z.unknown(),
        findings: z.number(),
      }),
    )
    .optional(),
  ledger: z.object({
    firstRunAt: z.string().nullable(),
    lastRunAt: z.string().nullable(),
    runs: z.number(),
    byStatus: z.record(z.string(), z.number()),
  }),
  files: z.array(
    z.object({
      // Paths inside the package only: a doctored manifest must not make verify read files elsewhere.
      path: z
        .string()
        .refine(
          (file) => !path.isAbsolute(file) && !file.split('/').includes('..'),
          'a path inside the package',
        ),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      bytes: z.number(),
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;

export interface ManifestFacts {
  readonly tool: { name: string; version: string };
  readonly generatedAt: number;
  readonly period: { label: string; start: number; end: number };
  readonly configSha256: string;
  readonly checks: NonNullable<Manifest['checks']>;
  readonly ledger: LedgerRange;
}

/** Hashes every file of the package (all but the manifest itself) and writes MANIFEST.json. */
export async function writeManifest(dir: string, facts: ManifestFacts): Promise<Manifest> {
  const files: Manifest['files'] = [];
  for (const file of await listFiles(dir)) {
    if (file === MANIFEST_FILE) continue;
    const full = path.join(dir, file);
    files.push({ path: file, sha256: await sha256File(full), bytes: (await stat(full)).size });
  }
  const manifest: Manifest = {
    tool: facts.tool,
    generatedAt: new Date(facts.generatedAt).toISOString(),
    period: {
      label: facts.period.label,
      start: new Date(facts.period.start).toISOString(),
      end: new Date(facts.period.end).toISOString(),
    },
    configSha256: facts.configSha256,
    checks: facts.checks,
    ledger: { ...facts.ledger, byStatus: { ...facts.ledger.byStatus } },
    files,
  };
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export async function readManifest(dir: string): Promise<Manifest> {
  const text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  return manifestSchema.parse(JSON.parse(text));
}
