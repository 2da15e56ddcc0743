#!/usr/bin/env -S node --max-semi-space-size=4 --max-old-space-size=1024
// The V8 flags bound the heap as the Dockerfile's ENTRYPOINT does (see there why).
// In a checkout, runs the TypeScript sources through tsx (never a stale build); where only the compiled
// output ships, runs the bundled CLI (dist/cli/, built by `npm run build`).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// V8 keeps the compiled code between runs in the user's cache dir, so a command starts without compiling
// its modules again. Where the dir cannot be written, Node runs without the cache.
try {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  module.enableCompileCache(path.join(cacheHome, 'evidence-worker', 'compile-cache'));
} catch {
  // No home directory: start without the cache.
}

const sources = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources);
} else {
  await import('../dist/cli/main.js');
}
