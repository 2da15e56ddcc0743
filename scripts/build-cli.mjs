#!/usr/bin/env node
/**
 * Bundles the CLI into dist/cli/ (part of `npm run build`, after tsc): one entry, and one chunk per command's
 * lazily imported code, so `catalog`, `streams` or `--help` read a few files instead of ~400 modules.
 *   node scripts/build-cli.mjs [--outdir DIR] [--metafile]   (--metafile: writes meta.json, what each chunk holds)
 * Packages stay ordinary imports from node_modules (native modules, SDKs, workers that load files by path),
 * except the small pure ones every command parses with: bundled, they cost a fraction of their module graph.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outdir');
const outdir = path.resolve(at > 0 ? process.argv[at + 1] : path.join(root, 'dist/cli'));

const BUNDLED = new Set(['zod', 'yaml', 'commander', 'csv-parse']);

/** `import { z } from 'zod'` keeps every locale (the namespace escapes); `import * as z` lets esbuild drop them. */
const ZOD_NAMESPACE = /^import \{ z \} from 'zod';$/m;

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  // The trail-split worker sits beside the chunks, where `new URL('./trail-split-worker.js', import.meta.url)`
  // looks for it.
  entryPoints: {
    main: 'src/cli/main.ts',
    'trail-split-worker': 'connectors/aws/trail-split-worker.ts',
  },
  outdir,
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  sourcemap: true,
  logLevel: 'warning',
  metafile: process.argv.includes('--metafile'),
  // Bundled CommonJS (commander) calls require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'evidence-worker',
      setup(builder) {
        builder.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('node:')) return { external: true };
          const parts = args.path.split('/');
          const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
          return BUNDLED.has(name) ? undefined : { external: true };
        });
        builder.onLoad({ filter: /\.ts$/ }, async (args) => ({
          contents: (await readFile(args.path, 'utf8')).replace(ZOD_NAMESPACE, "import * as z from 'zod';"),
          loader: 'ts',
        }));
      },
    },
  ],
});
if (result.metafile) await writeFile(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
