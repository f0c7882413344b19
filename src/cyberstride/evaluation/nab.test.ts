// Runs the SPC detector over NAB's machine_temperature_system_failure (22,695 readings, four labelled
// windows; Numenta Anomaly Benchmark, MIT) and counts de-duplicated alerts inside and outside the windows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runNab } from './nab';

const dir = new URL('../../../../shared/data/timeseries/nab/', import.meta.url);
const csv = readFileSync(new URL('machine_temperature_system_failure.csv', dir), 'utf8');
const windows = readFileSync(new URL('machine_temperature_system_failure.windows.json', dir), 'utf8');

describe('NAB machine temperature', () => {
  // One week of baseline (2,016 five-minute readings, all before the first window), σ as the sample SD.
  const result = runNab(csv, windows, {
    detector: 'spc',
    settings: { baseline: 2016, sigmaEstimator: 'standard-deviation', rebaseline: false },
  });

  it('reads every reading and the four labelled windows', () => {
    expect(result.readings).toBe(22695);
    expect(result.windows).toHaveLength(4);
  });

  it('raises at least one alert in every labelled window', () => {
    for (const w of result.windows) expect(w.alerts).toBeGreaterThanOrEqual(1);
  });

  it('raises at most 3 alerts per 10,000 readings outside the windows', () => {
    expect(result.falseAlertsPer10k).toBeLessThanOrEqual(3);
    expect(result.alertsOutside).toBe(result.outsideAt.length);
  });
});
