import { DrillFailure, type Drill, type DrillContext } from './context.js';

export interface DrillResult {
  readonly drill: string;
  readonly status: 'pass' | 'fail';
  readonly figure?: string;
  readonly reason?: string;
  readonly durationMs: number;
  readonly short: boolean;
  readonly seed: number;
  readonly details: Record<string, unknown>;
}

/** Runs one drill and prints its PASS/FAIL line and its JSON line; never throws. */
export async function runDrill(
  drill: Drill,
  context: DrillContext,
  print: (line: string) => void = (line) => console.log(line),
): Promise<DrillResult> {
  const started = Date.now();
  let result: DrillResult;
  try {
    const outcome = await drill.run(context);
    result = {
      drill: drill.name,
      status: 'pass',
      figure: outcome.figure,
      durationMs: Date.now() - started,
      short: context.short,
      seed: context.seed,
      details: outcome.details,
    };
    print(`PASS ${drill.name} ${outcome.figure}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    result = {
      drill: drill.name,
      status: 'fail',
      reason,
      durationMs: Date.now() - started,
      short: context.short,
      seed: context.seed,
      details: error instanceof DrillFailure ? error.details : { stack: (error as Error).stack },
    };
    print(`FAIL ${drill.name} ${reason}`);
  } finally {
    // A drill that changed the sandbox must not leak its faults into the next one.
    context.world.sandbox.faults.reset();
  }
  print(JSON.stringify(result));
  return result;
}
