import type { PeriodFindings } from '../checks/judge-period.js';
import type { KeyObject } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.js';
import { UsageError } from '../errors.js';
import { gatherEvidence, type WrittenStream } from '../readiness/gather.js';
import { isoReuseView, mapCriteriaToEvidence } from '../readiness/evidence-map.js';
import { EvidenceRepository } from '../store/evidence-repository.js';
import { sha256 } from '../store/canonical.js';
import { readChainHeads } from '../store/chain-heads.js';
import { conflictingDuplicates, RejectLog } from '../store/reject-log.js';
import { openArtefactRegister } from '../artefacts/open-register.js';
import type { AuditPeriod } from './audit-period.js';
import { copyArtefacts } from './artefact-copies.js';
import type { LastObservation } from './conditions.js';
import { writeContinuityCsv } from './continuity-csv.js';
import { writeContinuityHtml } from './continuity-html.js';
import { writeExceptionsRegister } from './exceptions-file.js';
import type { StatusCounts } from './finding-status.js';
import { writeIndexFiles, writeReuseFiles } from './index-file.js';
import { ledgerRange } from './ledger-range.js';
import { MANIFEST_FILE, writeManifest, type Manifest } from './manifest.js';
import { sha256File } from './file-hash.js';
import { withFrugalHeap } from './frugal-heap.js';
import { ensureOutDir } from './out-dir.js';
import { loadSigningKey, signManifest, type PackageSignature } from './signing.js';
import { writePopulationFiles, type PopulationFiles } from './population-file.js';
import { rejectedRecordsFileNames, writeRejectedRecords } from './rejected-records-file.js';
import type { RowPlace } from './table-files.js';
import { toolVersion } from './tool-version.js';
import type { LeaverPolicy } from '../../checks/people/leaver-rows.js';
import { writePeoplePackageFiles } from '../../checks/people/package-files.js';
import { ticketPopulationColumns } from '../../checks/tickets/population-columns.js';

export interface AuditorPackage {
  readonly out: string;
  readonly period: AuditPeriod;
  readonly populations: readonly PopulationFiles[];
  readonly exceptions: number;
  /** The register's rows by status: evidence pending collection or unreadable is no deviation. */
  readonly exceptionStatuses: StatusCounts;
  /**
   * Rows of the register's Conditions view (repeated findings grouped), by status, and how many
   * deviations (state findings) are open at period end.
   */
  readonly conditions: { readonly rows: number; readonly statuses: StatusCounts; readonly open: number };
  /** Rows of Rejected_Records: what the sources gave that could not become evidence. */
  readonly rejected: number;
  readonly criteria: number;
  readonly unevidencedCriteria: readonly string[];
  readonly manifest: Manifest;
  /** SHA-256 of MANIFEST.json itself: hand it to the auditor separately, so the manifest cannot be swapped. */
  readonly manifestSha256: string;
  /** The Ed25519 signature written beside the manifest; absent when no `signing.privateKey` is configured. */
  readonly signature?: PackageSignature;
}

async function prepareOutDir(out: string): Promise<void> {
  await ensureOutDir(out);
  // A package is one export: stale files would be hashed into the manifest as if we had written them.
  if ((await readdir(out)).length > 0)
    throw new UsageError(`--out: ${out} is not empty; choose a new directory`);
}

/**
 * Writes the auditor package for a period: populations (CSV and XLSX) per stream, the exceptions register
 * (with its conditions: repeated findings grouped),
 * the period's ISO artefacts, the control-to-evidence index, the ISO reuse view, the continuity report
 * (HTML and CSV) and a manifest with the SHA-256 of every file. Populations stream from the store.
 */
export async function writeAuditorPackage(app: App, options: PackageOptions): Promise<AuditorPackage> {
  // Streamed, a package holds little; the heap is kept close to that (see frugal-heap).
  return withFrugalHeap(() => writePackage(app, options));
}

export interface PackageOptions {
  readonly period: AuditPeriod;
  readonly out: string;
  /** Writes more files into the package (the system description) so the manifest lists them. */
  readonly beforeManifest?: (out: string, findings: PeriodFindings) => Promise<void>;
  /** The period's findings when the caller has just judged them (the demo): not judged a second time. */
  readonly findings?: PeriodFindings;
}

async function writePackage(app: App, options: PackageOptions): Promise<AuditorPackage> {
  const { period } = options;
  const out = path.resolve(options.out);
  // A bad key stops the export before anything is written.
  const signingKey: KeyObject | undefined = app.config.signing
    ? await loadSigningKey(app.config.signing.privateKey, app.loaded.baseDir)
    : undefined;
  await prepareOutDir(out);
  const now = app.clock();
  const store = await app.store();
  const evidence = new EvidenceRepository(store);

  // Judged once for the whole package: every file shows the same findings, each citing its check.
  const findings = options.findings ?? (await app.findings(period));
  const populations: PopulationFiles[] = [];
  const rows = new Map<string, ReadonlyMap<string, RowPlace>>();
  const lastObservations = new Map<string, LastObservation>();
  const written = new Map<string, WrittenStream>();
  // Columns the check side derives from other streams (each production change's ticket).
  const derived = await ticketPopulationColumns({
    store,
    checks: app.checks.checks,
    collectedStreams: app.registry.streams.map((stream) => stream.id),
    period,
    logger: app.logger,
  });
  for (const stream of app.registry.streams) {
    const files = await writePopulationFiles(evidence, stream, period, out, findings, {
      writtenAt: now,
      derived: derived.get(stream.id),
    });
    populations.push(files);
    rows.set(stream.id, files.flaggedRows);
    if (files.lastObservation) lastObservations.set(stream.id, files.lastObservation);
    // The index counts deviations: an item whose findings all wait for evidence is not one.
    written.set(stream.id, {
      facts: { items: files.items, flagged: files.flagged },
      files: [files.csv, files.xlsx],
    });
  }
  const exceptions = await writeExceptionsRegister(
    out,
    period,
    app.registry.streams,
    findings,
    (stream) => written.get(stream)?.files[1],
    {
      rows: await conflictingDuplicates(store, period),
      rejectedFile: rejectedRecordsFileNames(period).xlsx,
    },
    {
      populationRow: (stream, key) => rows.get(stream)?.get(key),
      lastObservation: (stream) => lastObservations.get(stream),
      writtenAt: now,
    },
  );

  const people = await writePeoplePackageFiles({
    store,
    collectedStreams: app.registry.streams.map((stream) => stream.id),
    config: app.config.people,
    baseDir: app.loaded.baseDir,
    period,
    out,
    logger: app.logger,
    leaverPolicy: app.checks.check('leaver-access-removal').policy as LeaverPolicy,
  });

  const { register } = await openArtefactRegister(app);
  const artefactFiles = await copyArtefacts(register, await register.overlapping(period), out);
  const gathered = await gatherEvidence(app, period, now, {
    written,
    artefactFiles,
    findings,
    derivedFiles: people.derived,
  });
  const criteria = mapCriteriaToEvidence(gathered);
  const streamIds = app.registry.streams.map((stream) => stream.id);
  const rejected = await writeRejectedRecords(store, out, period, streamIds);
  const rejectCounts = new Map(
    [...(await new RejectLog(store).countsByStream(period))].map(([stream, count]) => [
      stream,
      count.records + count.files + count.conflictingDuplicates,
    ]),
  );
  await writeIndexFiles(out, period, criteria, rejectCounts, {
    exceptions: exceptions.byCriterion,
    conditions: exceptions.conditions.byCriterion,
    writtenAt: now,
  });
  await writeReuseFiles(out, period, isoReuseView(gathered), now);
  const tool = toolVersion();
  await writeContinuityHtml(
    path.join(out, `Continuity_Report_${period.label}.html`),
    gathered.continuity,
    period,
    tool.version,
  );
  await writeContinuityCsv(path.join(out, `Continuity_Report_${period.label}.csv`), gathered.continuity);

  await options.beforeManifest?.(out, findings);
  const manifest = await writeManifest(out, {
    tool,
    generatedAt: now,
    period,
    configSha256: sha256(app.loaded.source),
    checks: findings.checks.map((check) => ({
      id: check.id,
      version: check.version,
      streams: [...check.definition.streams],
      policy: check.policy,
      findings: findings.forCheck(check.id).length,
    })),
    ledger: await ledgerRange(
      store,
      period,
      app.registry.streams.map((stream) => stream.id),
    ),
    chainHeads: await readChainHeads(store),
  });
  const signature = signingKey ? await signManifest(out, signingKey) : undefined;
  return {
    out,
    period,
    populations,
    exceptions: exceptions.rows,
    exceptionStatuses: exceptions.statuses,
    conditions: {
      rows: exceptions.conditions.rows,
      statuses: exceptions.conditions.statuses,
      open: exceptions.conditions.open,
    },
    rejected: rejected.rows,
    criteria: criteria.length,
    unevidencedCriteria: criteria.filter((row) => !row.evidenced).map((row) => row.criterion),
    manifest,
    manifestSha256: await sha256File(path.join(out, MANIFEST_FILE)),
    ...(signature ? { signature } : {}),
  };
}
