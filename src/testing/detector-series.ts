// The world of the ingestion suites that compare two ways of storing and detecting (readings-write,
// detection-runner): a root and one shop, W1, with one indicator per detector named after it, and the noisy
// level with an outlier and a step that makes every detector signal.
import type { App } from '../app/container';

export const DETECTOR_KINDS = ['harrison-stevens', 'bocpd', 'spc'] as const;

/** The `i`-th value of the `s`-th series: a noisy level of 50, an outlier at 60, a step of 8 after 90. */
export function seriesValue(i: number, s: number): number {
  const noise = Math.sin(i * 12.9898 + s * 78.233) * 43758.5453;
  return 50 + (i > 90 ? 8 : 0) + (i === 60 ? 25 : 0) + (noise - Math.floor(noise) - 0.5) * 2;
}

/** Root R and shop W1 under it, with an indicator per detector kind (its code is the kind). */
export async function seedDetectorSeries(app: App): Promise<{ rootId: string; unitId: string }> {
  const root = await app.services.holarchy.create({ parentId: null, name: 'R', kind: 'economy', code: 'R' });
  const unit = await app.services.holarchy.create({ parentId: root.id, name: 'W', kind: 'shop', code: 'W1' });
  for (const detector of DETECTOR_KINDS)
    await app.services.cybernet.createIndicator({
      unitId: unit.id,
      code: detector,
      name: detector,
      measure: 'u',
      goodDirection: 'up',
      aggregation: 'sum',
      weight: 1,
      detector,
      detectorSettings: {},
    });
  return { rootId: root.id, unitId: unit.id };
}
