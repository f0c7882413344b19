// Model files on the command line: `economy import FILE` recognises the format, and `economy export` without
// --json prints a file that imports as it is (both formats round-trip in src/economy/import/ogas-formats.test.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app/container';
import { invoke } from '../app/invoke';
import { findOperation } from '../app/registry';
import { isDomainError } from '../core/errors';
import { createLogger } from '../core/logger';
import { SYSTEM } from '../core/principal';
import { openStore } from '../store/connect';
import { createTestApp } from '../testing/test-app';
import { ogas } from '../testing/run-cli';

const home = join(mkdtempSync(join(tmpdir(), 'ogas-files-')), 'home');
const EXAMPLE = new URL('../economy/fixtures/example-economy.json', import.meta.url).pathname;
const log = createLogger('test');

/** Opens the CLI's own database in this process (between commands: one process at a time holds it). */
async function onHome<T>(
  fn: (call: (name: string, input: unknown) => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const app: App = buildApp(await openStore({ home }));
  try {
    return await fn((name, input) => invoke(app, findOperation(name)!, input, { principal: SYSTEM, log }));
  } finally {
    await app.close();
  }
}

describe('economy files on the command line', () => {
  it('refuses an import before the holarchy has a root, naming what to do (not a crash)', async () => {
    const app = await createTestApp();
    const error = await app.call('economy.import', { content: '{}' }).catch((e: unknown) => e);
    await app.close();
    expect(isDomainError(error) && error.kind).toBe('not-found');
    expect(isDomainError(error) && error.fix).toMatch(/found the root first/);
  });

  it('imports a file without its format, and imports the default output of export as it is', async () => {
    await onHome((call) =>
      call('holarchy.unit.create', { parentId: null, name: 'Federation', kind: 'economy' }),
    );

    const imported = await ogas(['economy', 'import', EXAMPLE, '--json'], home);
    expect(imported.code, imported.stderr).toBe(0);
    const first = (JSON.parse(imported.stdout) as { economy: { id: string }; report: { format: string } })
      .economy.id;
    expect((JSON.parse(imported.stdout) as { report: { format: string } }).report.format).toBe('ogas-json');

    const exported = await ogas(['economy', 'export', first], home);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ name: 'Bread and tools' });

    const again = await onHome(async (call) => {
      const r = (await call('economy.import', { content: exported.stdout })) as { economy: { id: string } };
      return (await call('economy.export', { id: r.economy.id })) as { content: string };
    });
    expect(again.content).toBe(exported.stdout);
  }, 180_000);
});
