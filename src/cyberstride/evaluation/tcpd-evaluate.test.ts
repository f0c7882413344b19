// Runs the TCPD evaluation over the seven shared series of the Turing Change Point Dataset
// (../shared/data/timeseries/tcpd, van den Burg & Williams 2020).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { evaluateTcpd } from './tcpd-evaluate';
import { zScore } from './tcpd-dataset';

const dir = fileURLToPath(new URL('../../../../shared/data/timeseries/tcpd/', import.meta.url));

describe('TCPD evaluation', () => {
  it('z-scores with the population standard deviation, ignoring missing readings', () => {
    expect(zScore([1, null, 3])).toEqual([-1, null, 1]);
  });

  it('evaluates all seven univariate series and averages the two real ones separately', async () => {
    // TCPDBench's default BOCPD settings (not tuned here), scored on its retrospective segmentation.
    const r = await evaluateTcpd(dir, {
      detector: 'bocpd',
      settings: { lambda: 100, prior: { mu: 0, kappa: 1, alpha: 1, beta: 1 } },
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
    const real = r.series.filter((s) => !s.synthetic);
    expect(real.map((s) => s.name).sort()).toEqual(['businv', 'construction']);
    expect(r.meanReal.f1).toBeCloseTo((real[0]!.f1 + real[1]!.f1) / 2, 12);
    // One setting for all series; the "zero" detector scores F1 0.735 / cover 0.621 on these seven, this one
    // 0.766 / 0.740 (the published default-BOCPD figures).
    expect(r.mean.f1).toBeGreaterThan(0.735);
    expect(r.mean.cover).toBeGreaterThan(0.621);
  });

  it('names a missing directory as not-found', async () => {
    await expect(evaluateTcpd('/nonexistent/tcpd', { detector: 'bocpd' })).rejects.toMatchObject({
      kind: 'not-found',
    });
  });
});
