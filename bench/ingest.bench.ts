// Readings ingestion with monitoring on: batches through the one pipeline (validate, de-duplicate, run each
// series' detector, store readings with forecasts and detector state in one transaction), on PGlite and on
// PostgreSQL (when TEST_DATABASE_URL or DATABASE_URL is set). There is no peer program: the figure is
// compared with the goals (20,000/s PGlite, 100,000/s PostgreSQL).
import { buildApp } from '../src/app/container';
import { ManualClock } from '../src/core/clock';
import { SYSTEM } from '../src/core/principal';
import type { IngestProfile } from '../src/cybernet/ports';
import type { RawReading } from '../src/cybernet/reading';
import { openTestStore, type Backend } from '../src/store/test-store';
import type { BenchOptions } from './run';

const SERIES = 100;
const BATCH = 10_000;
const DETECTORS = (process.env.BENCH_DETECTORS?.split(',') ?? ['harrison-stevens', 'bocpd', 'spc']) as (
  'harrison-stevens' | 'bocpd' | 'spc'
)[];

/** A noisy level with a step half way: every detector has real work (and raises a few alerts). */
function value(series: number, i: number): number {
  const noise = Math.sin(i * 12.9898 + series * 78.233) * 43758.5453;
  return 50 + series + (i > 500 ? 5 : 0) + (noise - Math.floor(noise) - 0.5) * 2;
}

const round = (s: number) => Number(s.toFixed(3));

async function runCase(backend: Backend, detector: (typeof DETECTORS)[number], size: number) {
  const clock = new ManualClock('2030-01-01T00:00:00Z');
  const app = buildApp(await openTestStore(backend), clock);
  try {
    const root = await app.services.holarchy.create({
      parentId: null,
      name: 'Bench',
      kind: 'economy',
      code: 'B',
    });
    const codes: string[] = [];
    for (let u = 0; u < 10; u++) {
      const unit = await app.services.holarchy.create({
        parentId: root.id,
        name: `Shop ${u}`,
        kind: 'shop',
        code: `B${u}`,
      });
      for (let k = 0; k < SERIES / 10; k++) {
        await app.services.cybernet.createIndicator({
          unitId: unit.id,
          code: `s${k}`,
          name: `series ${k}`,
          measure: 'u',
          goodDirection: 'up',
          aggregation: 'sum',
          weight: 1,
          detector,
          detectorSettings: {},
        });
      }
      codes.push(`B${u}`);
    }
    const perSeries = Math.ceil(size / SERIES);
    const start = Date.parse('2029-01-01T00:00:00Z');
    const batches: RawReading[][] = [];
    let current: RawReading[] = [];
    for (let i = 0; i < perSeries; i++) {
      for (let s = 0; s < SERIES; s++) {
        current.push({
          unit: codes[s % 10] as string,
          indicator: `s${Math.floor(s / 10)}`,
          value: value(s, i),
          at: start + i * 60_000,
          sourceId: `${s}-${i}`,
        });
        if (current.length === BATCH) {
          batches.push(current);
          current = [];
        }
      }
    }
    if (current.length > 0) batches.push(current);
    const source = { reporterUnitId: root.id, channel: 'http' as const, actor: SYSTEM.kind };
    let accepted = 0;
    const profile: IngestProfile = { classify: 0, dedup: 0, monitor: 0, state: 0, insert: 0 };
    const t0 = performance.now();
    for (const b of batches) accepted += (await app.services.ingest.ingest(b, source, profile)).accepted;
    const seconds = (performance.now() - t0) / 1000;
    const again = await app.services.ingest.ingest(batches[0] ?? [], source);
    const alerts = await app.services.alerts.list('everywhere', ['open'], 1000);
    const total = perSeries * SERIES;
    const ok = accepted === total && again.duplicates === (batches[0]?.length ?? 0);
    console.log(
      JSON.stringify({
        bench: 'ingest',
        store: backend,
        size: total,
        ours_s: Number(seconds.toFixed(3)),
        peer: null,
        peer_s: null,
        ratio: null,
        check: ok
          ? `ok (${accepted} stored, resent batch all duplicates)`
          : `MISMATCH (${accepted} of ${total})`,
        readings_per_s: Math.round(total / seconds),
        monitoring: true,
        detector,
        series: SERIES,
        batch: BATCH,
        open_alerts: alerts.length,
        classify_s: round(profile.classify),
        dedup_s: round(profile.dedup),
        insert_s: round(profile.insert),
        monitor_s: round(profile.monitor),
        state_s: round(profile.state),
      }),
    );
  } finally {
    await app.close();
  }
}

export default async function ingestBench(opts: BenchOptions): Promise<void> {
  const size = opts.size ?? 200_000;
  const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const backend of backends) for (const d of DETECTORS) await runCase(backend, d, size);
}
