// The `ogas` command as a researcher meets it: analysis of a file with --json, and errors as exit codes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const OCHOA = new URL('../economy/fixtures/ochoa-1984.json', import.meta.url);

async function ogas(args: string[], home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('node', ['bin/ogas.js', ...args], {
      env: { ...process.env, OGAS_HOME: home, DATABASE_URL: '' },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('ogas CLI', () => {
  const home = mkdtempSync(join(tmpdir(), 'ogas-cli-'));

  it('analyses the Ochoa (1984) table without a database and prints the published labour values', async () => {
    const expected = JSON.parse(readFileSync(OCHOA, 'utf8')) as {
      expected: { tolerance: number; labour_values_circulating: number[] };
    };
    const r = await ogas(['economy', 'analyze', OCHOA.pathname, '--json'], join(home, 'unused'));
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { labourValues: { values: number[] } };
    expected.expected.labour_values_circulating.forEach((v, i) =>
      expect(Math.abs((out.labourValues.values[i] ?? NaN) - v)).toBeLessThanOrEqual(
        expected.expected.tolerance,
      ),
    );
  }, 60_000);

  it('refuses a non-productive economy with exit code 6 and the eigenvalue estimate', async () => {
    const file = join(home, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        A: [
          [0.9, 0.5],
          [0.5, 0.9],
        ],
        direct_labour_l: [1, 1],
        gross_output_Q: [1, 1],
      }),
    );
    const r = await ogas(['economy', 'analyze', file, '--json'], join(home, 'unused'));
    expect(r.code).toBe(6);
    const problem = JSON.parse(r.stderr) as { error: string; data: { eigenvalueEstimate: number } };
    expect(problem.error).toBe('not-productive');
    expect(problem.data.eigenvalueEstimate).toBeCloseTo(1.4, 6);
  }, 60_000);

  it('names the bad field and exits 2 on invalid input', async () => {
    const r = await ogas(
      ['holarchy', 'unit', 'create', '--parent-id', 'x', '--name', 'Cell', '--kind', 'planet'],
      home,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/- kind: /);
    expect(r.stderr).toMatch(/fix: /);
  }, 120_000);
});
