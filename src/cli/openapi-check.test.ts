// `ogas openapi --check FILE`: drift and a missing file fail with their own exit codes and say where and how to fix.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ogas } from '../testing/run-cli';
import { checkOpenApiFile } from './openapi-check';

const dir = mkdtempSync(join(tmpdir(), 'ogas-openapi-'));

describe('checkOpenApiFile', () => {
  it('accepts the generated text and names the first differing line of a stale file', () => {
    const file = join(dir, 'doc.json');
    writeFileSync(file, '{\n  "a": 1,\n  "b": 2\n}\n');
    expect(() => checkOpenApiFile(file, '{\n  "a": 1,\n  "b": 2\n}\n')).not.toThrow();
    expect(() => checkOpenApiFile(file, '{\n  "a": 1,\n  "b": 3\n}\n')).toThrow(
      expect.objectContaining({
        kind: 'conflict',
        issues: [{ field: `${file}:3`, message: 'has "b": 2, the registry gives "b": 3' }],
      }),
    );
  });
});

describe('ogas openapi --check', () => {
  it('passes on the committed document', async () => {
    const r = await ogas(['openapi', '--check', 'docs/openapi.json'], join(dir, 'home'));
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  it('exits 5 (conflict), not 1 (a bug), on a stale document, and says how to regenerate it', async () => {
    const stale = join(dir, 'stale.json');
    writeFileSync(
      stale,
      readFileSync('docs/openapi.json', 'utf8').replace('"title": "OGAS API"', '"title": "old"'),
    );
    const r = await ogas(['openapi', '--check', stale], join(dir, 'home'));
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`${stale} is out of date with the operation registry`);
    expect(r.stderr).toContain('npm run openapi');
  }, 60_000);

  it('exits 4 (not found) on a missing file instead of calling it out of date', async () => {
    const r = await ogas(['openapi', '--check', join(dir, 'missing.json')], join(dir, 'home'));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('does not exist');
  }, 60_000);
});
