// The rows a batch of readings is stored as, each with its detector's forecast when there is one: written at
// ingest (inline detection, or no forecasts yet when detection is deferred) and by the detection runner.
import type { ReadingRow } from './cybernet.repository';
import type { ReadingForecast, SeriesBatch } from './ports';

export function readingRows(batches: SeriesBatch[], forecasts: ReadingForecast[][]): ReadingRow[] {
  const rows: ReadingRow[] = [];
  batches.forEach((b, i) => {
    const f = forecasts[i] ?? [];
    b.readings.forEach((r, j) => {
      const fc = f[j];
      rows.push({
        indicatorId: b.indicator.id,
        ...r,
        forecastMean: fc?.mean ?? null,
        forecastLower: fc?.lower ?? null,
        forecastUpper: fc?.upper ?? null,
        score: fc?.score ?? null,
        changePoint: fc?.changePoint ?? false,
      });
    });
  });
  return rows;
}
