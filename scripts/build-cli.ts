// Builds the compiled command line: src/cli/main.ts → dist/ogas.js, and every worker entry
// src/**/<name>-worker.ts → dist/<name>-worker.js beside it. `npm ci` runs it (prepare), and `npm run build`.
//
// - Packages stay external: node_modules, and the wasm files of PGlite and highs, resolve at run time. Except
//   zod, which every command loads (the operation registry is zod schemas): it is pure JavaScript, and bundled
//   with its English messages only (zod's index loads its 40-odd other languages, which we never use), it costs
//   a quarter less start-up time (CPU of `ogas --help`: 0.51 s with zod external, 0.38 s bundled this way).
// - Code splitting keeps what commands import lazily (the database, the server, exceljs) in chunks that load only
//   when used, so `ogas --help` starts fast.
// - Everything is flat in one folder: a pool starts `new URL('./<name>-worker.js', import.meta.url)`, and the
//   module that does so may be in a chunk, so chunks must sit beside the workers.
// `--outdir DIR` builds elsewhere (the bundle's own test).
import { readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

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

const isZod = (path: string) => path === 'zod' || path.startsWith('zod/');

/** Bare imports stay external (resolved by Node at run time), but zod is bundled. */
const externalPackagesButZod: Plugin = {
  name: 'external-packages-but-zod',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => (isZod(a.path) ? undefined : { external: true }));
  },
};

/** zod's locales/index.js re-exports every language; only English (zod's default) is ever used. */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (a) =>
      a.importer.includes(`${sep}node_modules${sep}zod${sep}`)
        ? { path: 'zod-locales', namespace: 'zod-en' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: root,
    }));
  },
};

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
  plugins: [externalPackagesButZod, zodEnglishOnly],
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`built ${join(values.outdir ?? 'dist', 'ogas.js')} and ${workers.length} worker(s) beside it`);
