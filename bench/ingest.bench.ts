// Readings ingestion with monitoring on: batches through the one pipeline (validate, de-duplicate, run each
// series' detector, store readings with forecasts and detector state in one transaction), on PGlite and on
// PostgreSQL (when TEST_DATABASE_URL is set), against the issue's goals (20,000/s PGlite, 100,000/s PostgreSQL).
// Three modes per detector (BENCH_DETECTION=inline,deferred,deferred-apart picks): inline detection; deferred,
// where the ingest calls only commit the readings and the detection backlog while the runner examines it
// meanwhile; and deferred-apart, where the runner starts only after the last batch. The deferred lines report
// the committed rate (readings_per_s), and apart from it the time until the runner has examined everything
// (alerts written: detection_done_s, detection_lag_s) and the rate that implies (detected_readings_per_s).
// The peer is the bandwidth bound: the same rows COPYed into a fresh store of the same kind, with no monitoring.
// The check runs each series' detector in memory over all its readings at once and compares what was stored
// (readings, the sum of the stored forecasts, and the critical signals folded into alerts) with it.
import { buildApp } from '../src/app/container';
import { ManualClock } from '../src/core/clock';
import { SYSTEM } from '../src/core/principal';
import type { IngestProfile } from '../src/cybernet/ports';
import type { DetectionMode } from '../src/cybernet/ingest.service';
import { READING_COLUMNS, type ReadingsWrite } from '../src/cybernet/cybernet.repository';
import type { RawReading } from '../src/cybernet/reading';
import { openTestStore, type Backend } from '../src/store/test-store';
import { copyInto } from '../src/store/bulk-copy';
import { BinaryCopyWriter } from '../src/store/binary-copy';
import { DetectorCache, runSeries } from '../src/cyberstride/series-run';
import { sql, type Kysely } from 'kysely';
import type { BenchOptions } from './run';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * CPU seconds (user + system) of the PostgreSQL backends serving this store's database, read from /proc: the
 * server's share of a run, which wall-clock time on a loaded machine hides. Null on PGlite (it runs in this
 * process, whose CPU time `process.cpuUsage` counts) or where /proc cannot be read.
 */
async function serverCpuSeconds(db: Kysely<unknown>): Promise<number | null> {
  const { rows } = await sql<{
    pid: number;
  }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  let ticks = 0;
  try {
    for (const { pid } of rows) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return null;
  }
  return ticks / 100;
}

/** BENCH_CPU_PROFILE=DIR writes a V8 CPU profile of each case's ingest loop (not its set-up) there. */
async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}

const SERIES = 100;
const BATCH = 10_000;
const DETECTORS = (process.env.BENCH_DETECTORS?.split(',') ?? [
  'anomaly-likelihood',
  'harrison-stevens',
  'bocpd',
  'spc',
]) as ('anomaly-likelihood' | 'harrison-stevens' | 'bocpd' | 'spc')[];

/** A noisy level with a step half way: every detector has real work (and raises a few alerts). */
function value(series: number, i: number): number {
  const noise = Math.sin(i * 12.9898 + series * 78.233) * 43758.5453;
  return 50 + series + (i > 500 ? 5 : 0) + (noise - Math.floor(noise) - 0.5) * 2;
}

const round = (s: number) => Number(s.toFixed(3));

/** The detectors run in memory over each series in one pass: critical signals and the sum of forecast means. */
function inMemory(detector: (typeof DETECTORS)[number], perSeries: number) {
  const cache = new DetectorCache();
  let critical = 0;
  let forecastSum = 0;
  for (let s = 0; s < SERIES; s++) {
    const values = Float64Array.from({ length: perSeries }, (_, i) => value(s, i));
    const times = Float64Array.from({ length: perSeries }, (_, i) => i * 60_000);
    const run = runSeries(cache, {
      kind: detector,
      settings: {},
      state: null,
      stateKind: null,
      values,
      times,
    });
    critical += run.critical.length;
    for (const m of run.mean) if (!Number.isNaN(m)) forecastSum += m;
  }
  return { critical, forecastSum };
}

/** The bandwidth bound: the same number of rows COPYed into a fresh store, no detector, no dedup, no state. */
async function peerCopy(
  backend: Backend,
  perSeries: number,
  format: 'text' | 'binary',
): Promise<{ seconds: number; cpu: number; server: number | null }> {
  const store = await openTestStore(backend);
  try {
    const db = store.db as unknown as Kysely<unknown>;
    await sql`insert into units (id, parent_id, name, kind, path, code) values ('u', null, 'P', 'economy', 'u/', 'P')`.execute(
      db,
    );
    for (let s = 0; s < SERIES; s++)
      await sql`insert into indicators (id, unit_id, code, name, measure, good_direction, aggregation, detector_kind)
        values (${`i${s}`}, 'u', ${`s${s}`}, 's', 'u', 'up', 'sum', 'spc')`.execute(db);
    const start = Date.parse('2029-01-01T00:00:00Z');
    const received = new Date().toISOString();
    const server0 = backend === 'postgres' ? await serverCpuSeconds(db) : null;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const receivedMs = Date.parse(received);
    let line: string[] = [];
    let rows = 0;
    let binary = new BinaryCopyWriter(BATCH * 120);
    const flush = async () => {
      const data = format === 'text' ? line.join('') : binary.finish();
      await db.transaction().execute((tx) => copyInto(tx, 'readings', READING_COLUMNS, data));
      line = [];
      binary = new BinaryCopyWriter(BATCH * 120);
      rows = 0;
    };
    for (let i = 0; i < perSeries; i++) {
      for (let s = 0; s < SERIES; s++) {
        const v = value(s, i);
        if (format === 'text')
          line.push(
            `i${s}\t${s}-${i}\t${new Date(start + i * 60_000).toISOString()}\t${v}\t${received}\thttp\t${v}\t${v - 1}\t${v + 1}\t0.5\tf\n`,
          );
        else {
          binary.row(READING_COLUMNS.length);
          binary.text(`i${s}`);
          binary.text(`${s}-${i}`);
          binary.timestamp(start + i * 60_000);
          binary.float8(v);
          binary.timestamp(receivedMs);
          binary.text('http');
          binary.float8(v);
          binary.float8(v - 1);
          binary.float8(v + 1);
          binary.float8(0.5);
          binary.bool(false);
        }
        if (++rows === BATCH) await flush();
      }
    }
    if (rows > 0) await flush();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const server1 = server0 === null ? null : await serverCpuSeconds(db);
    return {
      seconds,
      cpu: (cpu.user + cpu.system) / 1e6,
      server: server0 === null || server1 === null ? null : server1 - server0,
    };
  } finally {
    await store.close();
  }
}

/** Inline detection; deferred with the runner running meanwhile; deferred with the runner started after. */
type BenchMode = 'inline' | 'deferred' | 'deferred-apart';

function emptyProfile(): IngestProfile {
  return {
    classify: 0,
    dedup: 0,
    monitor: 0,
    state: 0,
    insert: 0,
    lookup: 0,
    build: 0,
    alerts: 0,
    outbox: 0,
    commit: 0,
  };
}

async function runCase(
  backend: Backend,
  detector: (typeof DETECTORS)[number],
  size: number,
  mode: BenchMode,
) {
  const detection: DetectionMode = mode === 'inline' ? 'inline' : 'deferred';
  const clock = new ManualClock('2030-01-01T00:00:00Z');
  // BENCH_WRITE=copy-text (or insert) writes the readings the older way, to compare in one run.
  const write = process.env.BENCH_WRITE as ReadingsWrite | undefined;
  // Deferred: the runner's own profile (its detectors, forecast updates, alerts, states) kept apart.
  const runnerProfile = emptyProfile();
  const app = buildApp(await openTestStore(backend), clock, {
    ...(write ? { readingsWrite: write } : {}),
    detection,
    // 'deferred-apart': the runner waits until every batch is committed, so the two rates are each alone.
    detectionRunner: { profile: runnerProfile, autoRun: mode !== 'deferred-apart' },
  });
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
    const profile = emptyProfile();
    const db = app.store.db as unknown as Kysely<unknown>;
    const server0 = backend === 'postgres' ? await serverCpuSeconds(db) : null;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let through: number | null = null;
    let detectedAt = 0;
    let seconds = 0;
    let cpuIngest = 0;
    let serverIngest: number | null = null;
    // Two profiles: the ingest calls, then the wait for detection (the runner alone in 'deferred-apart').
    await profiled(`${backend}-${detector}-${mode}`, async () => {
      for (const b of batches) {
        const res = await app.services.ingest.ingest(b, source, profile);
        accepted += res.accepted;
        through = res.detection.through ?? through;
      }
      seconds = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(cpu0);
      cpuIngest = (c.user + c.system) / 1e6;
    });
    if (server0 !== null && mode === 'deferred-apart') {
      // The server's share of the ingest calls alone (the runner has not started yet).
      const s = await serverCpuSeconds(db);
      serverIngest = s === null ? null : s - server0;
    }
    await profiled(`${backend}-${detector}-${mode}-detection`, async () => {
      // Deferred: the runner has been examining the backlog meanwhile; wait until it has passed the last batch.
      await app.services.detection?.waitFor(through);
      detectedAt = (performance.now() - t0) / 1000;
    });
    const cpuUsed = process.cpuUsage(cpu0);
    const server1 = server0 === null ? null : await serverCpuSeconds(db);
    const runner = app.services.detection ? { ...app.services.detection.progress } : null;
    const again = await app.services.ingest.ingest(batches[0] ?? [], source);
    const alerts = await app.services.alerts.list('everywhere', ['open'], 1000);
    const total = perSeries * SERIES;
    const stored = (
      await sql<{
        n: number;
        f: number;
      }>`select count(*)::int as n, coalesce(sum(forecast_mean), 0)::float8 as f from reading_points`.execute(
        db,
      )
    ).rows[0] as { n: number; f: number };
    const signals = (
      await sql<{ s: number }>`select coalesce(sum(signal_count), 0)::int as s from alerts`.execute(db)
    ).rows[0] as { s: number };
    const expected = inMemory(detector, perSeries);
    const forecastGap =
      Math.abs(stored.f - expected.forecastSum) / Math.max(1, Math.abs(expected.forecastSum));
    const ok =
      accepted === total &&
      again.duplicates === (batches[0]?.length ?? 0) &&
      stored.n === total &&
      signals.s === expected.critical &&
      forecastGap < 1e-9;
    const peer = await peerCopy(backend, perSeries, 'text');
    const peerSeconds = peer.seconds;
    const binaryPeer = await peerCopy(backend, perSeries, 'binary');
    console.log(
      JSON.stringify({
        bench: 'ingest',
        store: backend,
        size: total,
        ours_s: Number(seconds.toFixed(3)),
        peer: 'COPY of the same rows, no monitoring',
        peer_s: Number(peerSeconds.toFixed(3)),
        ratio: Number((seconds / peerSeconds).toFixed(2)),
        check: ok
          ? `ok (${stored.n} stored, resent batch all duplicates, ${signals.s} critical signals in alerts as in memory, forecast sums within ${forecastGap.toExponential(1)})`
          : `MISMATCH (accepted ${accepted}, stored ${stored.n} of ${total}; signals ${signals.s} vs ${expected.critical} in memory; forecast gap ${forecastGap})`,
        // Inline: readings stored and examined per second (one and the same). Deferred: readings *committed*
        // per second (the ingest calls' answers); detection's own rate and lag are the detected_* fields.
        detection: mode,
        readings_per_s: Math.round(total / seconds),
        readings_per_s_means:
          mode === 'inline'
            ? 'committed and examined'
            : mode === 'deferred'
              ? 'committed (detection after commit, the runner running meanwhile)'
              : 'committed (detection after commit, the runner started after the last batch)',
        // This process's CPU seconds until the last ingest call returned (the request path's share).
        ingest_cpu_s: round(cpuIngest),
        detected_readings_per_s: Math.round(total / detectedAt),
        detection_done_s: round(detectedAt),
        detection_lag_s: round(detectedAt - seconds),
        // The runner's own rate: the readings it examined over the seconds its rounds took (detected_readings_per_s
        // counts from the first ingest call, so in 'deferred-apart' it also holds the ingest calls' time).
        runner_busy_s: runner ? round(runner.busySeconds) : null,
        runner_readings_per_s:
          runner && runner.busySeconds > 0 ? Math.round(runner.readings / runner.busySeconds) : null,
        // 'deferred-apart': the CPU seconds of the runner alone (this process with its workers; the server's backends).
        runner_cpu_s:
          mode === 'deferred-apart' ? round((cpuUsed.user + cpuUsed.system) / 1e6 - cpuIngest) : null,
        runner_server_cpu_s:
          mode === 'deferred-apart' && server1 !== null && server0 !== null && serverIngest !== null
            ? round(server1 - server0 - serverIngest)
            : null,
        runner_monitor_s: detection === 'deferred' ? round(runnerProfile.monitor) : null,
        runner_forecast_update_s: detection === 'deferred' ? round(runnerProfile.insert) : null,
        runner_state_s: detection === 'deferred' ? round(runnerProfile.state) : null,
        // OGAS_DETECTION_PIPELINE=1: rounds whose detection ahead (on the workers) was used, and detected again.
        runner_ahead_used: runner ? runner.aheadUsed : null,
        runner_ahead_dropped: runner ? runner.aheadDropped : null,
        goal_per_s: backend === 'pglite' ? 20_000 : 100_000,
        peer_readings_per_s: Math.round(total / peerSeconds),
        monitoring: true,
        detector,
        write: write ?? 'copy',
        series: SERIES,
        batch: BATCH,
        open_alerts: alerts.length,
        classify_s: round(profile.classify),
        dedup_s: round(profile.dedup),
        insert_s: round(profile.insert),
        monitor_s: round(profile.monitor),
        state_s: round(profile.state),
        lookup_s: round(profile.lookup ?? 0),
        build_s: round(profile.build ?? 0),
        alerts_s: round(profile.alerts ?? 0),
        outbox_s: round(profile.outbox ?? 0),
        commit_s: round(profile.commit ?? 0),
        // CPU seconds: this process (all its threads) and, on PostgreSQL, the server's backends.
        cpu_s: round((cpuUsed.user + cpuUsed.system) / 1e6),
        server_cpu_s: server1 === null || server0 === null ? null : round(server1 - server0),
        // Of server_cpu_s, the ingest calls' share ('deferred-apart' only: the runner waits until they end).
        ingest_server_cpu_s: serverIngest === null ? null : round(serverIngest),
        peer_cpu_s: round(peer.cpu),
        peer_server_cpu_s: peer.server === null ? null : round(peer.server),
        // The same bare COPY in binary format (what ingestion now writes).
        binary_peer_readings_per_s: Math.round(total / binaryPeer.seconds),
        binary_peer_cpu_s: round(binaryPeer.cpu),
        binary_peer_server_cpu_s: binaryPeer.server === null ? null : round(binaryPeer.server),
      }),
    );
  } finally {
    await app.close();
  }
}

export default async function ingestBench(opts: BenchOptions): Promise<void> {
  const size = opts.size ?? 100_000;
  const available: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  // BENCH_BACKENDS=postgres (or pglite) runs one store only.
  const only = process.env.BENCH_BACKENDS?.split(',');
  const backends = only ? available.filter((b) => only.includes(b)) : available;
  // BENCH_DETECTION=inline (or deferred) runs one mode; by default both, side by side.
  const modes = (process.env.BENCH_DETECTION?.split(',') ?? [
    'deferred',
    'deferred-apart',
    'inline',
  ]) as BenchMode[];
  for (const backend of backends)
    for (const d of DETECTORS) for (const mode of modes) await runCase(backend, d, size, mode);
}
