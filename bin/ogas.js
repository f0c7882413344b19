#!/usr/bin/env node
// Entry point of the `ogas` command. It runs the compiled bundle dist/ogas.js (built by `npm ci` through
// `prepare`, or `npm run build`), which starts in a fraction of a second. When the bundle is missing or older
// than a source file (a developer edited src/ without rebuilding), or OGAS_FROM_SOURCE=1, it runs the
// TypeScript sources through tsx instead, slower to start but always current.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'ogas.js');

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.suite.ts');

/**
 * Whether a source that goes into the bundle (tests and suites do not) changed after the bundle was built. File
 * times suffice: adding, removing or renaming a module changes the files that import it. A walk of its own,
 * skipping the reference data: a few milliseconds, where Node 20's recursive readdir takes tens.
 */
function newerIn(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && newerIn(path, time)) return true;
    } else if (isSource(entry.name) && statSync(path).mtimeMs > time) return true;
  }
  return false;
}

function sourcesNewerThan(time) {
  return statSync(join(root, 'scripts', 'build-cli.ts')).mtimeMs > time || newerIn(join(root, 'src'), time);
}

function useBundle() {
  if (process.env.OGAS_FROM_SOURCE === '1' || !existsSync(bundle)) return false;
  return !sourcesNewerThan(statSync(bundle).mtimeMs);
}

if (useBundle()) {
  await import('../dist/ogas.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
