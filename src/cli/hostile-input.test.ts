// The CLI under hostile input: text the database cannot store and nesting 10,000 deep, from --input files,
// JSON options and analysed files, end in a usage error (exit 2) that names the field, never a crash (exit 1).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ogas } from '../testing/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'ogas-hostile-cli-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const deep = '['.repeat(10_000) + ']'.repeat(10_000);

describe('ogas CLI under hostile input', () => {
  it('refuses a NUL and a lone surrogate in an --input file, naming the field', async () => {
    const home = join(dir, 'home-1');
    const nul = await ogas(
      [
        'holarchy',
        'unit',
        'create',
        '--input',
        file('q.json', '{"parentId":null,"name":"a\\u0000b","kind":"economy"}'),
      ],
      home,
    );
    expect(nul.code, nul.stderr).toBe(2);
    expect(nul.stderr).toMatch(/name: contains a NUL/);
    const lone = await ogas(
      [
        'holarchy',
        'unit',
        'create',
        '--input',
        file('u.json', '{"parentId":null,"name":"\\ud800","kind":"economy"}'),
      ],
      home,
    );
    expect(lone.code, lone.stderr).toBe(2);
    expect(lone.stderr).toMatch(/name: contains a lone UTF-16 surrogate/);
  }, 120_000);

  it('refuses nesting 10,000 deep in a JSON option and in an --input file', async () => {
    const home = join(dir, 'home-2');
    const option = await ogas(
      ['holarchy', 'unit', 'create', '--name', 'Mill', '--kind', 'economy', '--attributes', `{"a":${deep}}`],
      home,
    );
    expect(option.code, option.stderr).toBe(2);
    expect(option.stderr).toMatch(/nested deeper than 64/);
    const input = await ogas(
      ['holarchy', 'unit', 'search', '--input', file('d.json', `{"q":${deep}}`)],
      home,
    );
    expect(input.code, input.stderr).toBe(2);
  }, 120_000);

  it('refuses an analysed file holding a NUL without echoing the file', async () => {
    const path = file('economy.json', '{"products":["secret\u0000value"]}');
    const r = await ogas(['economy', 'analyze', path, '--json'], join(dir, 'unused'));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toContain('secret');
  }, 120_000);

  it('reads no device and echoes no file through --input and file arguments', async () => {
    const home = join(dir, 'home-3');
    const device = await ogas(['holarchy', 'unit', 'create', '--input', '/dev/urandom'], home);
    expect(device.code, device.stderr).toBe(2);
    expect(device.stderr).toMatch(/not a regular file/);
    const secret = file('secret.txt', 'root:x:0:0:TOP-SECRET-LINE\nPASSWORD=hunter2,"x"y\n');
    for (const args of [
      ['holarchy', 'unit', 'create', '--input', secret],
      ['economy', 'analyze', secret, '--format', 'iot-csv'],
      ['economy', 'analyze', secret, '--format', 'ogas-json'],
    ]) {
      const r = await ogas(args, home);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr + r.stdout).not.toMatch(/TOP-SECRET|hunter2/);
    }
  }, 120_000);
});
