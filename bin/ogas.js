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

/** Whether a source that goes into the bundle (tests and suites do not) changed after the bundle was built. */
function sourcesNewerThan(time) {
  const inputs = [join(root, 'scripts', 'build-cli.ts')];
  for (const file of readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.suite.ts'))
      inputs.push(join(root, 'src', file));
  }
  return inputs.some((file) => existsSync(file) && statSync(file).mtimeMs > time);
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
