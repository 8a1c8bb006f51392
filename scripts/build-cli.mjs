// Builds the installable command line and library into dist-cli/ (run by `npm run build:cli` and
// before `npm pack`): one ESM bundle per entry, shared code in chunks loaded on demand (the plain
// `resetscope FILE` never loads the scan, DuckDB or the queue), and the library's .d.ts from tsc.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the command line into `out` (emptied first); `types` adds the library's declarations. */
export async function buildCli(out = join(root, 'dist-cli'), { types = true } = {}) {
  rmSync(out, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      main: 'src/cli/main.ts',
      lib: 'src/lib.ts',
      'scan-thread': 'src/cli/scan/thread.ts',
      // The threads that read a capture's ranges (src/cli/ranges/range-pool.ts loads it by this name,
      // beside the chunk it is bundled into).
      'range-thread': 'src/cli/ranges/range-thread.ts',
    },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // DuckDB is a native binding (one package per platform), an optional peer loaded only by `scan`
    // and `query`. Everything else (BullMQ and its Redis client included) is in the bundle.
    external: ['@duckdb/node-api'],
    // BullMQ's Redis client is CommonJS and calls require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __rsCreateRequire } from 'node:module'; const require = __rsCreateRequire(import.meta.url);" },
    chunkNames: '[name]-[hash]',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  if (types) {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.lib.json')], { stdio: 'inherit' });
  }
}

// node scripts/build-cli.mjs [--out DIR] [--no-types] (the tests bundle into a folder of their own).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  await buildCli(at > 0 ? resolve(process.argv[at + 1]) : undefined, { types: !process.argv.includes('--no-types') });
}
