// Reproduces TCPDBench's default BOCPD (R package ocp: lambda 100, prior m 0, k 1, a 1, b 1 on z-scored data,
// truncRlim 1e-4, the maxCPs segmentation) on the shared TCPD series. Published figures: TCPDBench
// analysis/output/summaries/summary_businv.json (default_bocpd cplocations) and analysis/output/scores/
// default_f1_scores.json, default_cover_scores.json (alan-turing-institute/TCPDBench).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localFiles } from '../../cli/local-files';
import { evaluateTcpd } from '../evaluation/tcpd-evaluate';
import { gatherTcpdFolder } from '../evaluation/tcpd-files';
import { bocpdSegmentation } from './bocpd-segmentation';

const dir = fileURLToPath(new URL('../fixtures/tcpd/', import.meta.url));
const tcpdBench = { prior: { mu: 0, kappa: 1, alpha: 1, beta: 1 }, lambda: 100 };
const files = () => gatherTcpdFolder(dir, localFiles);
const asTcpdBench = { detector: 'bocpd', settings: tcpdBench, changePoints: 'retrospective' } as const;
const published: Record<string, { f1: number; cover: number }> = {
  businv: { f1: 0.27027027027027023, cover: 0.4631013127482154 },
  construction: { f1: 0.6341463414634146, cover: 0.39527377713373163 },
  quality_control_1: { f1: 0.8, cover: 0.8869053958111467 },
  quality_control_2: { f1: 1.0, cover: 0.9272274782476536 },
  quality_control_3: { f1: 1.0, cover: 0.9967303392229183 },
  quality_control_4: { f1: 0.6575342465753424, cover: 0.5114099999999999 },
  quality_control_5: { f1: 1.0, cover: 1.0 },
};

describe('BOCPD retrospective segmentation (ocp maxCPs)', () => {
  it('finds one change in the middle of a series with a 4σ mean shift, at its index', () => {
    const xs = Array.from({ length: 60 }, (_, i) => (i < 30 ? 0 : 4) + 0.1 * Math.sin(i));
    expect(bocpdSegmentation(xs, { lambda: 100, prior: tcpdBench.prior })).toEqual([30]);
  });

  it('reproduces TCPDBench default BOCPD on businv: change points 69, 157, 232, 265', async () => {
    const r = evaluateTcpd(await files(), asTcpdBench);
    expect(r.changePoints).toBe('retrospective');
    expect(r.series.find((s) => s.name === 'businv')?.predicted).toEqual([69, 157, 232, 265]);
  });

  it('matches the published default-BOCPD F1 and cover on all seven series to 1e-9', async () => {
    const r = evaluateTcpd(await files(), asTcpdBench);
    for (const s of r.series) {
      const p = published[s.name] as { f1: number; cover: number };
      expect(s.f1).toBeCloseTo(p.f1, 9);
      expect(s.cover).toBeCloseTo(p.cover, 9);
    }
  });
});
