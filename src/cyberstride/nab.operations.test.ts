// monitor.nab: scores uploaded NAB content, gathers a local NAB folder for the CLI, and never echoes a file's
// content in an error. The default detector's score on the shared NAB files guards against regressions.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFiles } from '../cli/local-files';
import { createTestApp, type TestApp } from '../testing/test-app';
import { runNabBenchmark } from './evaluation/nab-benchmark';
import { NAB_PROFILES } from './evaluation/nab-corpus';
import { gatherNabFolder } from './evaluation/nab-gather';

const stamp = (i: number) =>
  new Date(Date.UTC(2014, 0, 1) + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');
/** A daily cycle that jumps far out of range at reading 1400, labelled around it. */
const csv = [
  'timestamp,value',
  ...Array.from(
    { length: 2000 },
    (_, i) => `${stamp(i)},${i >= 1400 && i < 1420 ? 500 : 50 + 20 * Math.sin((2 * Math.PI * i) / 288)}`,
  ),
].join('\n');
const windows = {
  'artificial/jump.csv': [[`${stamp(1350)}.000000`, `${stamp(1450)}.000000`]] as [string, string][],
};

describe('monitor.nab', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('scores the default detector first, per profile, with the per-file details', async () => {
    const out = (await app.call('monitor.nab', {
      files: [{ path: 'artificial/jump.csv', csv }],
      windows,
      detectors: ['anomaly-likelihood', 'spc'],
    })) as {
      detectors: {
        detector: string;
        corpus: Record<string, number>;
        files: { path: string; profiles: Record<string, { detected: number }> }[];
      }[];
    };
    expect(out.detectors.map((d) => d.detector)).toEqual(['anomaly-likelihood', 'spc']);
    const first = out.detectors[0];
    expect(Object.keys(first?.corpus ?? {}).sort()).toEqual([
      'reward_low_FN_rate',
      'reward_low_FP_rate',
      'standard',
    ]);
    expect(first?.files[0]?.profiles.standard?.detected).toBe(1);
    expect(first?.corpus.standard).toBeGreaterThan(90);
  });

  it('names the file and the row of a bad reading without echoing it', async () => {
    const bad = csv.replace(/\n[^\n]*\n/, '\n2014-01-01 00:00:00,secret-token-42\n');
    const error = (await app
      .call('monitor.nab', { files: [{ path: 'artificial/jump.csv', csv: bad }], windows })
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('files[artificial/jump.csv] row 2');
    expect(JSON.stringify(error)).not.toContain('secret-token-42');
    expect(error.message).not.toContain('secret-token-42');
  });
});

describe('gathering a NAB folder for the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogas-nab-'));
  mkdirSync(join(dir, 'data', 'artificial'), { recursive: true });
  mkdirSync(join(dir, 'labels'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'data', 'artificial', 'jump.csv'), csv);
  writeFileSync(join(dir, 'data', 'artificial', 'unlabelled.csv'), csv);
  writeFileSync(join(dir, 'labels', 'combined_windows.json'), JSON.stringify(windows));
  writeFileSync(
    join(dir, 'config', 'profiles.json'),
    JSON.stringify({ standard: { CostMatrix: NAB_PROFILES.standard } }),
  );

  it('reads the labelled data files, the windows and the profiles', async () => {
    const input = await gatherNabFolder(dir, localFiles);
    expect((input.files as { path: string }[]).map((f) => f.path)).toEqual(['artificial/jump.csv']);
    expect(input.windows).toEqual(windows);
    expect(Object.keys(input.profiles as object)).toEqual(['standard']);
  });

  it('refuses a folder without NAB labels, and labels that are not JSON without quoting them', async () => {
    await expect(gatherNabFolder(join(dir, 'data'), localFiles)).rejects.toThrow(
      'labels/combined_windows.json is missing',
    );
    const other = mkdtempSync(join(tmpdir(), 'ogas-nab-'));
    mkdirSync(join(other, 'labels'));
    writeFileSync(join(other, 'labels', 'combined_windows.json'), 'root:x:0:0:secret');
    const error = (await gatherNabFolder(other, localFiles).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('is not valid JSON');
    expect(error.message).not.toContain('secret');
  });
});

describe('the default detector on the shared NAB files', () => {
  it('scores at least 60 on the standard profile (64.0 measured; numenta 58.1 at its published threshold)', () => {
    const fixtures = new URL('fixtures/nab/', import.meta.url);
    const labels = JSON.parse(
      readFileSync(new URL('labels/combined_windows.json', fixtures), 'utf8'),
    ) as Record<string, [string, string][]>;
    const files = Object.keys(labels).map((path) => ({
      path,
      csv: readFileSync(new URL(`data/${path}`, fixtures), 'utf8'),
    }));
    const report = runNabBenchmark(
      { files, windows: labels },
      [{ kind: 'anomaly-likelihood' }],
      NAB_PROFILES,
    );
    expect(report.windows).toBe(25);
    expect(report.detectors[0]?.corpus.standard).toBeGreaterThanOrEqual(60);
  });
});
