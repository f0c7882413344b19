// bin/ogas.js runs the compiled bundle when it is current, and the sources through tsx when the bundle is missing
// or older than a source of it, so the command is fast after `npm ci` and never runs stale code after an edit.
// A project of its own in a temporary folder: a bundle and a main.ts that each say which one ran.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

let project = '';
const file = (...parts: string[]) => join(project, ...parts);
const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

function write(path: string, text: string, seconds: number): void {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, text);
  at(path, seconds);
}

async function whichRuns(env: Record<string, string> = {}): Promise<string> {
  const r = await run('node', [file('bin', 'ogas.js')], {
    env: { ...process.env, OGAS_FROM_SOURCE: '', ...env },
  });
  return r.stdout.trim();
}

describe('bin/ogas.js', () => {
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'ogas-bin-'));
    mkdirSync(file('bin'));
    copyFileSync(join(ROOT, 'bin', 'ogas.js'), file('bin', 'ogas.js'));
    symlinkSync(join(ROOT, 'node_modules'), file('node_modules'), 'dir');
    write(file('package.json'), '{ "type": "module" }', 1000);
    write(file('scripts', 'build-cli.ts'), '', 1000);
    write(file('src', 'cli', 'main.ts'), "const from: string = 'source';\nconsole.log(from);\n", 1000);
    write(file('src', 'cli', 'main.test.ts'), '', 1000);
    write(file('src', 'economy', 'fixtures', 'table.ts'), '', 1000);
    write(file('dist', 'ogas.js'), "console.log('bundle');\n", 2000);
    return () => rmSync(project, { recursive: true, force: true });
  });

  it('runs the bundle when it is newer than every source', async () => {
    expect(await whichRuns()).toBe('bundle');
  }, 30_000);

  it('runs the sources through tsx when one of them changed after the build', async () => {
    at(file('src', 'cli', 'main.ts'), 3000);
    expect(await whichRuns()).toBe('source');
  }, 30_000);

  it('runs the sources when the build script changed, or the bundle is missing, or OGAS_FROM_SOURCE=1', async () => {
    expect(await whichRuns({ OGAS_FROM_SOURCE: '1' })).toBe('source');
    at(file('scripts', 'build-cli.ts'), 3000);
    expect(await whichRuns()).toBe('source');
    rmSync(file('dist'), { recursive: true });
    expect(await whichRuns()).toBe('source');
  }, 30_000);

  it('ignores tests and reference data, which are not in the bundle', async () => {
    at(file('src', 'cli', 'main.test.ts'), 3000);
    at(file('src', 'economy', 'fixtures', 'table.ts'), 3000);
    expect(await whichRuns()).toBe('bundle');
  }, 30_000);
});
