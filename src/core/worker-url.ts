// Where a worker's entry file is, and how to start it, whether OGAS runs from its TypeScript sources (tsx)
// or from the compiled bundle. The build bundles every `src/**/<name>-worker.ts` to `dist/<name>-worker.js`,
// flat beside `dist/ogas.js`, so a compiled module finds each worker as a sibling of itself.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The URL of worker `name` (e.g. "compute-worker") seen from the module at `importMetaUrl`: the sibling
 * source file when running from sources, `./<name>.js` beside the bundle when compiled.
 */
export function workerUrl(importMetaUrl: string, name: string): URL {
  return new URL(`./${name}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl);
}

// The sources run through tsx, which bin/ogas.js registers in-process; a worker inherits neither that nor
// (on Node 20) a loader given in execArgv, so a TypeScript worker starts from a script that registers tsx.
export function startWorker(url: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
