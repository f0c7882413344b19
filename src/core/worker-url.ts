// Where a worker's entry file is, and how to start it, whether OGAS runs from its TypeScript sources (tsx)
// or from the compiled bundle. The build bundles every `src/**/<name>-worker.ts` to `dist/<name>-worker.js`,
// flat beside `dist/ogas.js`, so a compiled module finds each worker as a sibling of itself.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';

/**
 * The URL of worker `name` (e.g. "compute-worker") seen from the module at `importMetaUrl`: the sibling
 * source file when running from sources, `./<name>.js` beside the bundle when compiled.
 */
export function workerUrl(importMetaUrl: string, name: string): URL {
  return new URL(`./${name}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl);
}

// The sources run through tsx, which bin/ogas.js registers in-process; a worker inherits neither that nor
// (on Node 20) a loader given in execArgv, so a TypeScript worker starts from a script that registers tsx.
export function startWorker(
  url: URL,
  options: Omit<WorkerOptions, 'eval'> = {},
  how: { bundle?: boolean } = {},
): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  if (how.bundle) return new Worker(bundledSource(url), options);
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

const bundles = new Map<string, URL>();

/**
 * The worker's sources bundled by esbuild (a development dependency, as tsx is) into one JavaScript module
 * under node_modules/.cache/ogas-workers, named by its content, so the worker starts without tsx. On Node 20
 * a detector worker that registered tsx sometimes never finished loading (its event loop idle, the import
 * pending), under load about one start in several; a plain module does not go through tsx's loader at all.
 * Packages stay imports, resolved from the project's node_modules as the sources resolve them.
 */
function bundledSource(url: URL): URL {
  const done = bundles.get(url.href);
  if (done) return done;
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof Esbuild;
  const result = esbuild.buildSync({
    entryPoints: [fileURLToPath(url)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text ?? '';
  const dir = join(dirname(dirname(require.resolve('esbuild/package.json'))), '.cache', 'ogas-workers');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = join(dir, `${basename(url.pathname, '.ts')}-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written whole under a private name, then renamed: another process may be writing the same file.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file);
  }
  const out = pathToFileURL(file);
  bundles.set(url.href, out);
  return out;
}
