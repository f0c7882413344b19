// Model files on the command line: `economy export` without --json writes a file that `economy import`
// reads back without being told its format (both formats round-trip in src/economy/import/ogas-formats.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ogas } from '../testing/run-cli';

const scratch = mkdtempSync(join(tmpdir(), 'ogas-files-'));
const home = join(scratch, 'home');
const EXAMPLE = new URL('../economy/fixtures/example-economy.json', import.meta.url).pathname;

async function ok(args: string[]): Promise<string> {
  const r = await ogas(args, home);
  expect(r.code, `ogas ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const importedId = async (args: string[]) =>
  (JSON.parse(await ok([...args, '--json'])) as { economy: { id: string } }).economy.id;

describe('economy files on the command line', () => {
  it('refuses an import before the holarchy has a root, naming what to do (not a crash)', async () => {
    const r = await ogas(['economy', 'import', EXAMPLE], home);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no root unit/);
    expect(r.stderr).toMatch(/fix: found the root first/);
  }, 60_000);

  it('imports a file without its format, and imports the default output of export as it is', async () => {
    const rootFile = join(scratch, 'root.json');
    writeFileSync(rootFile, JSON.stringify({ parentId: null, name: 'Federation', kind: 'economy' }));
    await ok(['holarchy', 'unit', 'create', '--input', rootFile]);

    const first = await importedId(['economy', 'import', EXAMPLE]);
    const exported = await ok(['economy', 'export', first]);
    expect(JSON.parse(exported)).toMatchObject({ name: 'Bread and tools' });
    const file = join(scratch, 'exported.json');
    writeFileSync(file, exported);
    const again = await importedId(['economy', 'import', file]);
    expect(again).not.toBe(first);
    expect(await ok(['economy', 'export', again])).toBe(exported);
  }, 240_000);
});
