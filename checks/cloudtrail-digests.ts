import { z } from 'zod';
import { deliveredHourSchema, type DeliveredHour } from '../connectors/aws/streams/cloudtrail-digests.js';
import { digestFactSchema, type DigestFact } from '../connectors/aws/digests/digest-facts.js';
import { layoutPath } from '../connectors/aws/digests/digest-format.js';
import { defineCheck, type Fact, type FactsReader, type Finding } from '../src/checks/check.js';
import type { HourlyProof, HourProof } from '../src/continuity/hour-proofs.js';
import { HOUR, type Window } from '../src/time.js';

const STREAM = 'aws-cloudtrail-digests';
// Digests next to the period cover its first and last minutes.
const REACH = 2 * HOUR;

const itemSchema = z.union([digestFactSchema, deliveredHourSchema]);
type Item = DigestFact | DeliveredHour;

const hourKey = (account: string, region: string, hour: number) =>
  `hour/${account}/${region}/${new Date(hour).toISOString()}`;
const floorHour = (at: number) => Math.floor(at / HOUR) * HOUR;
const inside = (at: number, windows: readonly Window[]) => windows.some((w) => at >= w.start && at < w.end);
const s3 = (bucket: string | null, key: string) => (bucket ? `s3://${bucket}/${key}` : key);

/** A finding with the span of log deliveries it casts doubt on (for the continuity report). */
interface Judged {
  readonly finding: Finding;
  readonly account: string;
  readonly region: string;
  readonly span: Window;
}

interface Judgement {
  readonly judged: readonly Judged[];
  /** Per account/region: delivery spans covered by digests whose signature verified. */
  readonly signed: ReadonlyMap<string, readonly Window[]>;
  /** Per account/region: the hours of the period the stream observed. */
  readonly hours: ReadonlyMap<string, readonly number[]>;
}

function whySignatureFails(d: DigestFact): string | undefined {
  if (d.signature.verified === false)
    return 'its RSA-SHA256 signature does not verify against the published key';
  if (d.signature.verified === null) return `its signature could not be checked: ${d.signature.problem}`;
  if (
    layoutPath(d.digestS3Object) !== layoutPath(d.foundKey) ||
    (d.foundBucket && d.foundBucket !== d.digestS3Bucket)
  )
    return `it names ${s3(d.digestS3Bucket, d.digestS3Object)} but was found at ${s3(d.foundBucket, d.foundKey)}`;
  return undefined;
}

/** The previous digest, where it is found, is the one this digest recorded (hash and signature). */
function chainHolds(d: DigestFact): boolean {
  const previous = d.previousDigest;
  if (!previous?.found) return true; // a gone previous digest is digest_missing, not a broken link
  return previous.sha256 === d.previousDigestHashValue && previous.signature === d.previousDigestSignature;
}

/** Appends `value` to the list under `key`, in place. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Judges the digest facts of a period; shared by the check and the per-hour proof. */
export async function judgeDigests(facts: FactsReader, period: Window): Promise<Judgement> {
  const range = { start: period.start - REACH, end: period.end + REACH };
  const digests: Fact<DigestFact>[] = [];
  const seen: Fact<DeliveredHour>[] = [];
  for await (const fact of facts.items<Item>(STREAM, range, itemSchema)) {
    if (fact.payload.kind === 'digest') digests.push(fact as Fact<DigestFact>);
    else if (fact.occurredAt >= period.start && fact.occurredAt < period.end)
      seen.push(fact as Fact<DeliveredHour>);
  }
  const covered = await facts.covered(STREAM, range);
  const judged: Judged[] = [];
  const listed = new Map<string, Set<string>>();
  const spans = new Map<string, Window[]>();
  const signed = new Map<string, Window[]>();
  const missingHours = new Map<string, { account: string; region: string; hour: number; why: string }>();
  const missing = (account: string, region: string, hour: number, why: string) => {
    const key = hourKey(account, region, hour);
    if (hour >= period.start && hour < period.end && !missingHours.has(key))
      missingHours.set(key, { account, region, hour, why });
  };

  for (const fact of digests) {
    const d = fact.payload;
    const where = `${d.account}/${d.region}`;
    const span = { start: Date.parse(d.digestStartTime), end: Date.parse(d.digestEndTime) };
    push(spans, where, span);
    for (const file of d.logFiles)
      (listed.get(where) ?? listed.set(where, new Set()).get(where))?.add(layoutPath(file.s3Object));
    if (d.previousDigest && !d.previousDigest.found)
      missing(
        d.account,
        d.region,
        floorHour(span.start - 1),
        `the digest ${d.previousDigestS3Object} that ${d.digestS3Object} chains to is gone`,
      );
    const unsigned = whySignatureFails(d);
    // Digests just outside the period still prove its first and last minutes; findings are the period's own.
    if (!unsigned && chainHolds(d)) push(signed, where, span);
    if (fact.occurredAt < period.start || fact.occurredAt >= period.end) continue;
    const at = (code: string, description: string, keys: string[] = []) =>
      judged.push({
        account: d.account,
        region: d.region,
        span,
        finding: {
          code,
          stream: STREAM,
          keys: [fact.key, ...keys],
          occurredAt: fact.occurredAt,
          description,
        },
      });
    if (unsigned)
      at(
        'digest_signature_invalid',
        `Digest ${s3(d.foundBucket, d.foundKey)} cannot be trusted: ${unsigned}.`,
      );
    const previous = d.previousDigest;
    if (previous && !chainHolds(d))
      at(
        'digest_chain_broken',
        `Digest ${d.digestS3Object} names a previous digest ${d.previousDigestS3Object} whose ${previous?.sha256 !== d.previousDigestHashValue ? 'SHA-256' : 'signature'} is not the one it recorded.`,
      );
    for (const file of d.logFiles) {
      if (!file.found)
        at(
          'log_file_missing',
          `Log file ${s3(file.s3Bucket, file.s3Object)}, listed by digest ${d.digestS3Object}, is not in the bucket.`,
          [file.s3Object],
        );
      else if (file.foundSha256 !== file.hashValue)
        at(
          'log_file_modified',
          `Log file ${s3(file.s3Bucket, file.s3Object)} is not the file digest ${d.digestS3Object} lists: ${file.readProblem ?? `SHA-256 ${file.foundSha256} where ${file.hashValue} was recorded`}.`,
          [file.s3Object],
        );
    }
  }

  const hours = new Map<string, number[]>();
  for (const fact of seen) {
    const h = fact.payload;
    const where = `${h.account}/${h.region}`;
    push(hours, where, fact.occurredAt);
    for (const file of h.logFiles) {
      if (listed.get(where)?.has(layoutPath(file.key))) continue;
      const at = Date.parse(file.deliveredAt);
      if (inside(at, spans.get(where) ?? []))
        judged.push({
          account: h.account,
          region: h.region,
          span: { start: at, end: at + 1 },
          finding: {
            code: 'log_file_not_in_digest',
            stream: STREAM,
            keys: [fact.key, file.key],
            occurredAt: fact.occurredAt,
            description: `Log file ${file.key}, delivered ${file.deliveredAt}, is in the bucket but no digest lists it.`,
          },
        });
      // No digest at all for that delivery: only where the digest that would cover it was collected.
      else if (inside(at - REACH, covered) && inside(at, covered))
        missing(
          h.account,
          h.region,
          floorHour(at),
          `log file ${file.key} was delivered then and no digest covers it`,
        );
    }
  }
  for (const [key, m] of missingHours) {
    const hour = new Date(m.hour).toISOString();
    judged.push({
      account: m.account,
      region: m.region,
      span: { start: m.hour, end: m.hour + HOUR },
      finding: {
        code: 'digest_missing',
        stream: STREAM,
        keys: [key],
        occurredAt: m.hour,
        description: `No CloudTrail digest for ${m.account} ${m.region} in the hour from ${hour}: ${m.why}.`,
        // Hours without a digest repeat for one account and region: one condition; tampering stays per file.
        subject: `${m.account}/${m.region}`,
      },
    });
  }
  judged.sort(
    (a, b) =>
      a.finding.occurredAt - b.finding.occurredAt || (a.finding.keys[0]! < b.finding.keys[0]! ? -1 : 1),
  );
  return { judged, signed, hours };
}

export const cloudtrailDigestsCheck = defineCheck({
  id: 'cloudtrail-digests',
  version: 1,
  title: 'CloudTrail log file integrity',
  description:
    "CloudTrail's own proof holds for every hour of the period: each digest file is signed with a key CloudTrail publishes and chained to the previous one, every log file it lists is in the bucket unaltered, and every log file in the bucket is listed by a digest.",
  criteria: ['CC7.2'],
  isoControls: ['A.8.15'],
  streams: [STREAM],
  codes: {
    digest_missing:
      'An hour in which the trail delivered logs, or its chain shows a digest, but no digest file is there',
    digest_signature_invalid:
      "A digest file whose signature does not verify against CloudTrail's published key (or was moved)",
    digest_chain_broken:
      'A digest whose link to the previous digest (its hash or signature) does not match the file found',
    log_file_missing: 'A log file a digest lists is not in the bucket: deleted after delivery',
    log_file_modified:
      'A log file whose SHA-256 differs from the one its digest recorded: altered after delivery',
    log_file_not_in_digest: 'A log file in the bucket that no digest lists: added after the fact',
  },
  policy: z.object({}).strict(),
  async *judge({ facts, period }) {
    for (const { finding } of (await judgeDigests(facts, period)).judged) yield finding;
  },
});

/** Whether `windows` (sorted by start) together cover all of `span`. */
function coversAll(windows: readonly Window[], span: Window): boolean {
  let reached = span.start;
  for (const w of windows) {
    if (w.start > reached) break;
    reached = Math.max(reached, w.end);
    if (reached >= span.end) return true;
  }
  return reached >= span.end;
}

/**
 * Per account, region and hour of the period the stream observed: proven complete and unaltered when
 * verified digests cover the whole hour and no finding casts doubt on it.
 */
export const cloudtrailDigestsProof: HourlyProof = {
  stream: STREAM,
  title: 'logs proven complete and unaltered by CloudTrail digests',
  streams: [STREAM],
  async hours(facts, period) {
    const { judged, signed, hours } = await judgeDigests(facts, period);
    // Findings by account/region, in judged order (the first that casts doubt on an hour names it).
    const judgedAt = new Map<string, Judged[]>();
    for (const j of judged) push(judgedAt, `${j.account}/${j.region}`, j);
    const signedAt = new Map(
      [...signed].map(([where, spans]) => [where, [...spans].sort((a, b) => a.start - b.start)]),
    );
    const proofs: HourProof[] = [];
    for (const [where, list] of hours) {
      const mine = judgedAt.get(where) ?? [];
      for (const hour of list) {
        const span = { start: hour, end: hour + HOUR };
        const doubt = mine.find((j) => j.span.start < span.end && j.span.end > span.start);
        const covered = coversAll(signedAt.get(where) ?? [], span);
        const reason =
          doubt?.finding.code ?? (covered ? undefined : 'no verified digest covers the whole hour');
        proofs.push({ subject: where, hour, proven: reason === undefined, ...(reason ? { reason } : {}) });
      }
    }
    return proofs;
  },
};
