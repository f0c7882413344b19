// Retrospective change points of BOCPD, extracted as the R package ocp does (`changepoint_lists$maxCPs`), which
// is what TCPDBench's default BOCPD reports: the most probable segmentation at the end, not every online drop.
import { normalGammaPredictive, normalGammaUpdate } from '../../numeric/stats/normal-gamma';
import type { NormalGamma } from '../../numeric/stats/normal-gamma';
import { bocpdPrior, bocpdSettingsSchema } from './bocpd';
import { parseSettings } from './detector';
import { fastStudentTLogPdf } from './forecast-interval';

export interface BocpdSegmentationOptions {
  /** Expected run length: constant hazard H = 1 / lambda (ocp and TCPDBench: 100). */
  lambda: number;
  /** Normal–Gamma prior of every new run (TCPDBench on z-scored data: mu 0, kappa 1, alpha 1, beta 1). */
  prior: NormalGamma;
  /** The longest run lengths whose total probability is below this are dropped (ocp `truncRlim`: 1e-4). */
  truncation?: number;
}

const LOG_MIN = Math.log(Number.MIN_VALUE);

/**
 * Runs the Adams–MacKay recursion over the readings (nulls skipped, indices kept) and returns the 0-based
 * indices where the most probable segmentation starts a new segment (index 0 left out).
 *
 * The segmentation follows ocp's `findCPprobs` step by step: after reading t, for each run length k the score
 * log P(r_t = k | x_1..t) + B(t − k − 1) is formed, where B(s) is the best score found after reading s, and the
 * best one (ties to the longest run) gives B(t) and its list of segment starts. Each step costs O(kept run
 * lengths); the back-pointers cost O(readings) memory, so this is for evaluation, not for the live state.
 */
export function bocpdSegmentation(
  values: readonly (number | null)[],
  options: BocpdSegmentationOptions,
): number[] {
  const H = 1 / options.lambda;
  const truncation = options.truncation ?? 1e-4;
  const index: number[] = [];
  values.forEach((v, i) => {
    if (v !== null) index.push(i);
  });
  // r[k] = P(run length k), k = 0 being "a new run starts with the next reading"; posts[k] its posterior.
  let r = [1];
  let posts: NormalGamma[] = [options.prior];
  // Entry e of the best-segmentation table: score, segment start (1-based) and parent entry (ocp's lists).
  const best = [0, 0];
  const start = [0, 1];
  const parent = [-1, 0];
  index.forEach((i, step) => {
    const t = step + 1;
    const y = values[i] as number;
    if (r.length > 1) {
      let tail = 0;
      let keep = r.length;
      for (let k = r.length - 1; k >= 0; k--) {
        tail += r[k] as number;
        if (tail >= truncation) break;
        keep = k;
      }
      r = r.slice(0, Math.max(1, keep));
      posts = posts.slice(0, r.length);
    }
    const n = r.length;
    const grow: number[] = [];
    let change = 0;
    for (let k = 0; k < n; k++) {
      const lp = Math.max(
        LOG_MIN,
        Math.log(r[k] as number) + fastStudentTLogPdf(y, normalGammaPredictive(posts[k] as NormalGamma)),
      );
      const p = Math.exp(lp);
      grow.push(p * (1 - H));
      change += p * H;
    }
    const total = change + grow.reduce((a, b) => a + b, 0);
    const next = [change / total, ...grow.map((g) => g / total)].map((p) => Math.max(p, Number.MIN_VALUE));
    // Score of each run length k = n − u, u = 0..n (u = n is the run starting after this reading).
    let top = -Infinity;
    let topU = 0;
    for (let u = 0; u <= n; u++) {
      const score = Math.log(next[n - u] as number) + (best[t - n + u] as number);
      if (score > top) {
        top = score;
        topU = u;
      }
    }
    best.push(top);
    start.push(t - n + topU + 1);
    parent.push(t - n + topU);
    r = next;
    posts = [options.prior, ...posts.map((p) => normalGammaUpdate(p, y))];
  });
  const starts: number[] = [];
  for (let e = best.length - 1; e > 0; e = parent[e] as number) starts.push(start[e] as number);
  // Segment starts are 1-based positions among the readings; map back to indices of the series.
  return starts
    .map((s) => index[s - 1])
    .filter((s): s is number => s !== undefined && s > 0)
    .sort((a, b) => a - b);
}

/**
 * The retrospective change points of a BOCPD detector with these settings (lambda, prior; the prior's mu and
 * beta from the first `warmup` readings when not set, as online), with ocp's truncation.
 */
export function bocpdRetrospective(settings: unknown, values: readonly (number | null)[]): number[] {
  const parsed = parseSettings('bocpd', bocpdSettingsSchema, settings);
  // Unless set, κ = α = 1 and a 10-reading warm-up, as this analysis was checked against TCPDBench with; the
  // online detector's defaults differ (vague level, surer noise scale, longer warm-up).
  const given = settings as { warmup?: number; prior?: { kappa?: number; alpha?: number } } | undefined;
  const s = {
    ...parsed,
    warmup: given?.warmup ?? 10,
    prior: { ...parsed.prior, kappa: given?.prior?.kappa ?? 1, alpha: given?.prior?.alpha ?? 1 },
  };
  const first = values.filter((v): v is number => v !== null).slice(0, s.warmup);
  if (first.length < 2) return [];
  return bocpdSegmentation(values, { lambda: s.lambda, prior: bocpdPrior(s, first) });
}
