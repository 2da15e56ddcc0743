#!/usr/bin/env node
// In a checkout, runs the TypeScript sources through tsx (never a stale build); where only the compiled
// output ships, runs that.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sources = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources);
} else {
  await import('../dist/src/cli/main.js');
}
