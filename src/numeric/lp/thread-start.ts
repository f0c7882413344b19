// Starts a worker thread from a module beside the caller, from the TypeScript sources or from the bundle (named
// thread-start, not *-worker: scripts/build-cli.ts bundles every src/**/<name>-worker.ts as a worker entry).
//
// The worker is a TypeScript module when OGAS runs from its sources: a worker inherits neither tsx's loader nor
// (on Node 20) one given in execArgv, so it starts from a script that registers tsx first (as core/worker-url.ts
// does for the compute pool; numeric imports nothing of ours, hence this copy). The bundle has `<name>.js` beside
// the module that imports this one (scripts/build-cli.ts bundles every src/**/<name>-worker.ts).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts worker `name` (e.g. "highs-worker") seen from the module at `importMetaUrl`. */
export function startModuleWorker(
  importMetaUrl: string,
  name: string,
  options: Pick<WorkerOptions, 'workerData'> = {},
): Worker {
  const url = new URL(`./${name}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxRoot = dirname(createRequire(importMetaUrl).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
