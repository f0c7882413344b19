// Alerts on NAB series through the real path: every reading of each NAB file goes through readings.submit on
// a test store with the default detector and alert settings; then, per labelled window, whether an alert
// opened at a reading inside it, and how many alerts opened outside the windows (per 10,000 readings).
// NAB_DIR points at a NAB folder (data/, labels/); the default is the shared files copied in the fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCorpus } from '../src/cyberstride/evaluation/nab-corpus';
import type { Alert, AlertEvent } from '../src/cyberstride/alert';
import { createTestApp, smallTree } from '../src/testing/test-app';
import type { BenchOptions } from './run';

const BATCH = 2000;

export default async function nabAlertsBench(_opts: BenchOptions): Promise<void> {
  const dir = process.env.NAB_DIR ?? join(import.meta.dirname, '../src/cyberstride/fixtures/nab');
  const windows = JSON.parse(readFileSync(join(dir, 'labels/combined_windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const files = Object.keys(windows).map((path) => ({
    path,
    csv: readFileSync(join(dir, 'data', path), 'utf8'),
  }));
  const { series } = readCorpus({ files, windows });
  const app = await createTestApp();
  const tree = await smallTree(app);
  const t0 = performance.now();
  let readings = 0;
  let windowCount = 0;
  let windowsAlerted = 0;
  let outside = 0;
  for (const [k, s] of series.entries()) {
    const code = `nab-${k}`;
    const indicator = (await app.call('indicator.create', {
      unitId: tree.turbine.id,
      code,
      name: s.path,
      measure: 'units',
    })) as { id: string };
    for (let from = 0; from < s.values.length; from += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, s.values.length - from) }, (_, j) => ({
        indicator: code,
        value: s.values[from + j] as number,
        at: new Date(s.times[from + j] as number).toISOString(),
        sourceId: `${code}-${from + j}`,
      }));
      await app.call('readings.submit', { unitId: tree.turbine.id, readings: rows });
    }
    const { alerts } = (await app.call('alert.list', {
      unitId: tree.turbine.id,
      status: 'all',
      limit: 1000,
    })) as {
      alerts: Alert[];
    };
    const opened: number[] = [];
    for (const a of alerts.filter((x) => x.indicatorId === indicator.id)) {
      const { timeline } = (await app.call('alert.get', { id: a.id })) as { timeline: AlertEvent[] };
      const at = timeline.find((e) => e.kind === 'opened')?.detail.readingAt;
      if (typeof at === 'string') opened.push(Date.parse(at));
    }
    const spans = s.windows.map((w) => ({ from: s.times[w.first] as number, to: s.times[w.last] as number }));
    const hit = spans.filter((w) => opened.some((t) => t >= w.from && t <= w.to)).length;
    const out = opened.filter((t) => !spans.some((w) => t >= w.from && t <= w.to)).length;
    readings += s.values.length;
    windowCount += spans.length;
    windowsAlerted += hit;
    outside += out;
    console.log(
      JSON.stringify({
        bench: 'nab-alerts',
        file: s.path,
        readings: s.values.length,
        windows: spans.length,
        windows_alerted: hit,
        alerts: opened.length,
        alerts_outside_windows: out,
      }),
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      bench: 'nab-alerts',
      size: readings,
      ours_s: seconds,
      peer: null,
      peer_s: null,
      ratio: null,
      check: 'n/a (no peer)',
      windows: windowCount,
      windows_alerted: windowsAlerted,
      window_share: windowsAlerted / windowCount,
      false_alerts: outside,
      false_alerts_per_10k_readings: (outside * 10_000) / readings,
    }),
  );
  await app.close();
}
