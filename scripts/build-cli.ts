// Builds the compiled command line: src/cli/main.ts → dist/ogas.js, and every worker entry
// src/**/<name>-worker.ts → dist/<name>-worker.js beside it (a pool starts `./<name>-worker.js` relative to the
// bundle). Packages stay external: node_modules (and the wasm files of PGlite and highs) resolve at run time.
// Code splitting keeps the modules that a command imports lazily (the database, the server, xlsx) in chunks that
// load only when used, so `ogas --help` starts fast.
import { readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const workers = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('-worker.ts'))
  .map((f) => join('src', f))
  .sort();

rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'src/cli/main.ts', out: 'ogas' },
    ...workers.map((w) => ({ in: w, out: basename(w, '.ts') })),
  ],
  outdir: 'dist',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
});
const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
console.log(`built dist/ogas.js and ${workers.length} worker(s) (${outputs.length} files)`);
