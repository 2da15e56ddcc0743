import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drills } from '../../drills/index.js';
import { DrillContext } from '../../drills/support/context.js';
import { removeTempDirs } from '../../drills/support/github-world.js';
import { runDrill } from '../../drills/support/run-drill.js';

// The short form of every drill, in-process, so `npm test` exercises them; a fixed seed keeps CI repeatable.
const SEED = Number(process.env.DRILLS_SEED ?? 42);

describe('fault drills (short form)', () => {
  let context: DrillContext;
  beforeAll(async () => {
    context = await DrillContext.open({ short: true, seed: SEED });
  });
  afterAll(async () => {
    await context?.close();
    removeTempDirs();
  });

  for (const drill of drills) {
    it(
      drill.name,
      async () => {
        const lines: string[] = [];
        const result = await runDrill(drill, context, (line) => lines.push(line));
        expect(result.status, `${result.reason}\n${lines.join('\n')}`).toBe('pass');
      },
      300_000,
    );
  }
});
