import { stat, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../config/format-issue.js';
import { UsageError } from '../errors.js';
import { chainHeadSchema, type ChainHead } from '../store/chain-heads.js';
import { sha256File, listFiles } from './file-hash.js';
import type { LedgerRange } from './ledger-range.js';

export const MANIFEST_FILE = 'MANIFEST.json';
/** The detached Ed25519 signature of MANIFEST.json's bytes, written beside it (not listed in it). */
export const SIGNATURE_FILE = 'MANIFEST.json.sig';

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
  // Each stream's chain head at export: `verify-store --since` proves the store still extends them.
  // Optional: packages written before anchoring still verify.
  chainHeads: z.array(chainHeadSchema).optional(),
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
  readonly chainHeads: readonly ChainHead[];
}

/** Hashes every file of the package (all but the manifest itself) and writes MANIFEST.json. */
export async function writeManifest(dir: string, facts: ManifestFacts): Promise<Manifest> {
  const files: Manifest['files'] = [];
  for (const file of await listFiles(dir)) {
    if (file === MANIFEST_FILE || file === SIGNATURE_FILE) continue;
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
    chainHeads: facts.chainHeads.map((head) => ({ ...head })),
    files,
  };
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Parses a manifest's text; a malformed one is one line naming the first wrong field (exit 2). */
export function parseManifest(text: string, label: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${label}: not JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const lines = formatZodError(parsed.error, json, label).split('\n');
  const more =
    lines.length > 1 ? ` (and ${lines.length - 1} more problem${lines.length > 2 ? 's' : ''})` : '';
  throw new UsageError(`${lines[0]}${more}`);
}

export async function readManifest(dir: string): Promise<Manifest> {
  const text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  return parseManifest(text, `verify: ${MANIFEST_FILE} is not a valid manifest`);
}

/** The chain heads a package's manifest anchored, for `verify-store --since FILE`. */
export async function readAnchoredHeads(file: string): Promise<ChainHead[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--since: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const manifest = parseManifest(text, `--since: ${file} is not a valid manifest`);
  if (!manifest.chainHeads)
    throw new UsageError(`--since: ${file} records no chain heads (exported before heads were anchored)`);
  return manifest.chainHeads;
}
