import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finalStage } from './support.js';

/** The V8 flags of the shebang of bin/evidence-worker.js (`#!/usr/bin/env -S node --flag …`). */
function shebangFlags(): string[] {
  const first = readFileSync(new URL('../../bin/evidence-worker.js', import.meta.url), 'utf8').split('\n')[0];
  return (first ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}

// The heap bounds are measured (bench/trail-real.ts) and documented in the Dockerfile; the image, the
// installed command and the bench must start Node alike, or the figures describe a process nobody runs.
describe('the V8 flags the CLI starts with', () => {
  it('are the same in the image ENTRYPOINT and the bin shebang', () => {
    const image = finalStage().entrypoint.filter((arg) => arg.startsWith('--'));
    expect(image.length).toBeGreaterThan(0);
    expect(shebangFlags()).toEqual(image);
  });
});
