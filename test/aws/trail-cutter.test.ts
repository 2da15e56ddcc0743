import { describe, expect, test } from 'vitest';
import { mayBeAccessChange } from '../../connectors/aws/events.js';
import { RecordCutter } from '../../connectors/aws/trail-cutter.js';
import { ACCOUNT } from './support.js';

// Records whose bytes a piece boundary can fall anywhere in: escapes (a backslash may end a piece), braces
// and brackets inside strings, multi-byte UTF-8 (a character may be cut in two), the wanted top-level
// names and values, nested objects and arrays, whitespace between records.
const TEXTS = [
  `{"eventSource":"iam.amazonaws.com","eventName":"DeleteUser","recipientAccountId":"${ACCOUNT}","userAgent":"a \\"q\\" \\\\ } { ] [ é 日本 🙂"}`,
  '{"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","recipientAccountId":"1","p":{"a":[1,{"b":"}"}]}}',
  '{"event\\u0053ource":"iam.amazonaws.com","eventSource":"ec2.amazonaws.com","eventName":"DeleteUser"}',
  '{"eventSource":"iam.amazon\\"aws.com","eventName":"Delete\\\\User","recipientAccountId":"2"}',
  `{"eventSource":"iam.amazonaws.com","eventName":"CreateUser","userName":"ünïcødé","recipientAccountId":"${ACCOUNT}"}`,
  '{"eventSource":"iam.amazonaws.com","eventName":"AttachUserPolicy","x":"\\ud800"}',
];
const BODY = `{"Records":[${TEXTS.join(',\n ')}]}\n`;
const BYTES = Buffer.from(BODY);

interface Cut {
  readonly laidOut: boolean;
  readonly closed: boolean;
  readonly tail: string;
  readonly scanned: number;
  readonly recipients: Record<string, number>;
  readonly kept: unknown[];
  readonly indexes: number[];
  readonly escapes: number[];
}

/** Cuts `bytes` fed in pieces that end at `cuts` (byte offsets), as one file. */
function cutAt(bytes: Uint8Array, cuts: readonly number[], fields?: readonly string[]): Cut {
  const cutter = new RecordCutter(mayBeAccessChange, 0, fields);
  let laidOut = true;
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    // Each piece in a buffer of its own, as zlib hands them on.
    laidOut &&= cutter.feed(new Uint8Array(bytes.subarray(from, to)));
    from = to;
  }
  const batch = cutter.takeBatch();
  return {
    laidOut,
    closed: cutter.closed,
    tail: cutter.tail,
    scanned: cutter.scanned,
    recipients: { ...cutter.recipients },
    kept: JSON.parse(batch.json) as unknown[],
    indexes: batch.indexes,
    escapes: batch.escapes,
  };
}

describe('cutting records out of bytes that arrive in pieces', () => {
  const whole = {
    judged: cutAt(BYTES, [], ['eventSource', 'eventName']),
    parsed: cutAt(BYTES, []),
  };

  test('in one piece, gives what JSON.parse gives', () => {
    const records = (JSON.parse(BODY) as { Records: unknown[] }).Records;
    for (const cut of [whole.judged, whole.parsed]) {
      expect(cut).toMatchObject({ laidOut: true, closed: true, scanned: TEXTS.length });
      expect(cut.tail.trim()).toBe('}');
      const wanted = records.flatMap((record, n) => (mayBeAccessChange(record) ? [n] : []));
      expect(wanted).toEqual([0, 4, 5]);
      expect(cut.indexes).toEqual(wanted);
      expect(cut.kept).toEqual(wanted.map((n) => records[n]));
      expect(cut.escapes).toEqual([2]); // the lone surrogate's record, of those kept
    }
    expect(whole.parsed.recipients).toEqual({ [ACCOUNT]: 2, 1: 1, 2: 1 });
    expect(whole.judged.recipients).toEqual(whole.parsed.recipients);
  });

  test('cut in two at every byte, or in pieces of every size up to 40, gives the same', () => {
    const splits: number[][] = [];
    for (let at = 1; at < BYTES.length; at += 1) splits.push([at]);
    for (let size = 1; size <= 40; size += 1)
      splits.push(Array.from({ length: Math.ceil(BYTES.length / size) - 1 }, (_, n) => (n + 1) * size));
    for (const cuts of splits) {
      expect(cutAt(BYTES, cuts, ['eventSource', 'eventName']), `cut at ${cuts.join(',')}`).toEqual(
        whole.judged,
      );
      expect(cutAt(BYTES, cuts), `cut at ${cuts.join(',')}`).toEqual(whole.parsed);
    }
  });

  test('what is not CloudTrail’s layout is told apart, wherever the pieces end', () => {
    const layouts: [string, boolean][] = [
      ['{"Records":[{"a":1} "b"]}', false], // a string between records
      ['{"Records":[{"a":1} x]}', false],
      [`{"Other":1,${' '.repeat(70)}"Records":[]}`, false],
      [`  \n{ "Records" :\t[ {"a":"]"} ]}`, true],
      ['\uFEFF{"Records":[{"a":"é"}]}', true], // a byte order mark is whitespace to the layout, as before
    ];
    for (const [text, laidOut] of layouts) {
      const bytes = Buffer.from(text);
      for (let at = 1; at < bytes.length; at += 1) expect(cutAt(bytes, [at]).laidOut, text).toBe(laidOut);
    }
  });
});
