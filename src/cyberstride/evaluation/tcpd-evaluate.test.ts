// The TCPD evaluation over the fixtures: the seven shared series (flat layout), ten more real series and all 26
// real univariate series available (TCPD's own layout), at the default settings, with floors a little under the
// measured figures so a regression fails.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localFiles } from '../../cli/local-files';
import { isDomainError } from '../../core/errors';
import { evaluateTcpd } from './tcpd-evaluate';
import { zScore } from './tcpd-dataset';
import { gatherTcpdFolder } from './tcpd-files';

const shared = fileURLToPath(new URL('../fixtures/tcpd/', import.meta.url));
const heldOut = fileURLToPath(new URL('../fixtures/tcpd-heldout/', import.meta.url));
const allReal = fileURLToPath(new URL('../fixtures/tcpd-all/', import.meta.url));
const failure = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
};

describe('TCPD evaluation', () => {
  it('z-scores with the population standard deviation, ignoring missing readings', () => {
    expect(zScore([1, null, 3])).toEqual([-1, null, 1]);
  });

  it('evaluates all seven shared series at the defaults (Harrison–Stevens lines, retrospective)', async () => {
    const r = evaluateTcpd(await gatherTcpdFolder(shared, localFiles), {
      detector: 'harrison-stevens',
    });
    expect(r.changePoints).toBe('retrospective');
    expect(r.segmentation).toMatchObject({
      model: 'linear',
      slopePenalty: 1,
      outlierThreshold: 4,
      seasonality: 0.4,
      penalty: 3,
      noiseFloor: 0.1,
      maxChangePoints: 3,
    });
    expect(r.series.map((s) => s.name).sort()).toEqual([
      'businv',
      'construction',
      'quality_control_1',
      'quality_control_2',
      'quality_control_3',
      'quality_control_4',
      'quality_control_5',
    ]);
    expect(r.skipped).toEqual([]);
    expect(r.series.find((s) => s.name === 'businv')?.predicted).toEqual([119, 204]);
    // Measured 0.732 / 0.780 on the two real series and 0.824 / 0.847 on all seven; "zero" (no change point)
    // scores 0.642 / 0.518 and 0.735 / 0.621.
    expect(r.meanReal.f1).toBeGreaterThan(0.72);
    expect(r.meanReal.cover).toBeGreaterThan(0.77);
    expect(r.mean.f1).toBeGreaterThan(0.81);
    expect(r.mean.cover).toBeGreaterThan(0.84);
  });

  it("reads TCPD's own layout and scores the held-out real series above the published defaults", async () => {
    const files = await gatherTcpdFolder(heldOut, localFiles);
    expect(files.map((f) => f.path)).toContain('datasets/nile/nile.json');
    const r = evaluateTcpd(files, { detector: 'harrison-stevens' });
    expect(r.series).toHaveLength(10);
    // Measured 0.918 / 0.748; the same ten series score 0.746 / 0.651 with no change point at all.
    expect(r.meanReal.f1).toBeGreaterThan(0.91);
    expect(r.meanReal.cover).toBeGreaterThan(0.74);
    const zero = evaluateTcpd(files, { detector: 'harrison-stevens', segmentation: { penalty: 1e6 } });
    expect(zero.series.every((s) => s.predicted.length === 0)).toBe(true);
    expect(r.meanReal.f1).toBeGreaterThan(zero.meanReal.f1 + 0.15);
    expect(r.meanReal.cover).toBeGreaterThan(zero.meanReal.cover + 0.09);
  });

  it('scores all 26 real univariate series available above the published defaults, on either half', async () => {
    const r = evaluateTcpd(await gatherTcpdFolder(allReal, localFiles), { detector: 'harrison-stevens' });
    expect(r.series).toHaveLength(26);
    expect(r.skipped).toEqual([]);
    // Measured 0.806 / 0.721 (the default before: 0.774 / 0.700; no change point: 0.642 / 0.549). Published
    // means over the benchmark's real univariate series: binary segmentation 0.744 / 0.706, PELT 0.710 / 0.689.
    expect(r.meanReal.f1).toBeGreaterThan(0.8);
    expect(r.meanReal.cover).toBeGreaterThan(0.715);
    // Alphabetical halves (even / odd positions): measured 0.795 / 0.744 and 0.817 / 0.697.
    const names = r.series.map((s) => s.name).sort();
    const half = (k: number) => {
      const rows = r.series.filter((s) => names.indexOf(s.name) % 2 === k);
      return [
        rows.reduce((a, s) => a + s.f1, 0) / rows.length,
        rows.reduce((a, s) => a + s.cover, 0) / rows.length,
      ];
    };
    expect(half(0)[0]).toBeGreaterThan(0.79);
    expect(half(0)[1]).toBeGreaterThan(0.74);
    expect(half(1)[0]).toBeGreaterThan(0.81);
    expect(half(1)[1]).toBeGreaterThan(0.69);
  });

  it('gives the same result for the flat and the TCPD layout of the same files', async () => {
    const flat = await gatherTcpdFolder(shared, localFiles);
    const nested = flat.map((f) =>
      f.path === 'annotations.json'
        ? f
        : { path: `datasets/${f.path.replace('.json', '')}/${f.path}`, content: f.content },
    );
    const a = evaluateTcpd(flat, { detector: 'spc', changePoints: 'online' });
    const b = evaluateTcpd([...nested, { path: 'schema.json', content: '{}' }], {
      detector: 'spc',
      changePoints: 'online',
    });
    expect(b.series).toEqual(a.series);
  });

  it('can score every detector online and retrospectively', async () => {
    const files = await gatherTcpdFolder(shared, localFiles);
    for (const detector of ['harrison-stevens', 'bocpd', 'spc'] as const)
      for (const changePoints of ['online', 'retrospective'] as const) {
        const r = evaluateTcpd(files, { detector, changePoints });
        expect(r.changePoints).toBe(changePoints);
        expect(r.series).toHaveLength(7);
      }
  });

  it('refuses an empty or unreadable folder naming the path', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ogas-tcpd-empty-'));
    const e1: unknown = await gatherTcpdFolder(empty, localFiles).catch((e) => e);
    expect(isDomainError(e1) && e1.kind).toBe('invalid');
    expect((e1 as Error).message).toContain(empty);
    const e2: unknown = await gatherTcpdFolder('/nonexistent/tcpd', localFiles).catch((e) => e);
    expect(isDomainError(e2) && e2.kind).toBe('invalid');
    expect((e2 as Error).message).toContain('/nonexistent/tcpd');
  });

  it('refuses files with no dataset, or bad JSON, without quoting their content', () => {
    const e1 = failure(() =>
      evaluateTcpd([{ path: 'notes.json', content: '{}' }], { detector: 'bocpd' }, 'up'),
    );
    expect((e1 as Error).message).toContain('up holds no TCPD dataset: annotations.json is missing');
    const secret = 'root:x:0:0:secret';
    const e2 = failure(() =>
      evaluateTcpd(
        [
          { path: 'annotations.json', content: '{}' },
          { path: 'a.json', content: secret },
        ],
        { detector: 'bocpd' },
      ),
    );
    expect((e2 as Error).message).toBe('a.json: is not valid JSON');
    expect(JSON.stringify(e2)).not.toContain('secret');
  });

  it('takes a folder with plots and sources, uploading only the JSON files it reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ogas-tcpd-repo-'));
    mkdirSync(join(dir, 'datasets', 'nile'), { recursive: true });
    writeFileSync(join(dir, 'datasets', 'nile', 'nile.png'), 'not json');
    writeFileSync(join(dir, 'datasets', 'nile', 'get_nile.py'), 'print(1)');
    writeFileSync(
      join(dir, 'datasets', 'nile', 'nile.json'),
      JSON.stringify({ name: 'nile', n_obs: 3, n_dim: 1, series: [{ raw: [1, 2, 3] }] }),
    );
    writeFileSync(join(dir, 'annotations.json'), JSON.stringify({ nile: { '1': [] } }));
    const files = await gatherTcpdFolder(dir, localFiles);
    expect(files.map((f) => f.path).sort()).toEqual(['annotations.json', 'datasets/nile/nile.json']);
  });
});
