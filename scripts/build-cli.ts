// Builds the compiled command line: src/cli/main.ts → dist/ogas.js, and every worker entry
// src/**/<name>-worker.ts → dist/<name>-worker.js beside it. `npm ci` runs it (prepare), and `npm run build`.
//
// - Packages stay external: node_modules, and the wasm files of PGlite and highs, resolve at run time.
// - Code splitting keeps what commands import lazily (the database, the server, exceljs) in chunks that load only
//   when used, so `ogas --help` starts fast.
// - Everything is flat in one folder: a pool starts `new URL('./<name>-worker.js', import.meta.url)`, and the
//   module that does so may be in a chunk, so chunks must sit beside the workers.
// `--outdir DIR` builds elsewhere (the bundle's own test).
import { readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
const outdir = resolve(root, values.outdir ?? 'dist');
// The folder is emptied first, so it can only be dist/ or a folder under node_modules/.cache/.
const cache = join(root, 'node_modules', '.cache') + sep;
if (outdir !== join(root, 'dist') && !outdir.startsWith(cache)) {
  throw new Error(`refusing to empty ${outdir}: build into dist/ or a folder under ${cache}`);
}
const workers = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('-worker.ts'))
  .map((f) => join('src', f))
  .sort();

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'src/cli/main.ts', out: 'ogas' },
    ...workers.map((w) => ({ in: w, out: basename(w, '.ts') })),
  ],
  outdir,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`built ${join(values.outdir ?? 'dist', 'ogas.js')} and ${workers.length} worker(s) beside it`);
