// The federation at Glushkov's scale on this machine, over a nats-server of our own with JetStream: 1 central,
// 200 regional and 20,000 local nodes. The local nodes are light simulated publishers sending real report
// messages (schema v1, one partial aggregate each, cumulative: a local's latest report is its whole state); the
// regional and central tiers run the real code (FederationService, the node runtime with its durable consumers,
// outbox and report timer) over memory stores, many nodes per process.
//
// Delay: each local send raises the total sent, S(s); the central total C(t) is sampled every 100 ms; a unit of
// value sent at s has reached the centre when C(t) ≥ S(s) (exact when the tiers keep order, and a fair measure
// when they reorder within a second). Check: the central total and reading count equal what the locals sent.
// Outage case: one regional node is stopped for a while during the sends and restarted with its store kept (a
// node restart); the catch-up time runs from its restart to the central total equal to what was sent.
import { connect, type NatsConnection } from 'nats';
import type { App } from '../src/app/container';
import { systemClock } from '../src/core/clock';
import { createLogger } from '../src/core/logger';
import { NotificationBus } from '../src/cyberstride/notifications';
import { FederationService } from '../src/federation/federation.service';
import { MemoryFederationStore } from '../src/federation/federation-memory-store';
import { SCHEMA_VERSION } from '../src/federation/messages';
import { nodeSettingsSchema } from '../src/federation/node-settings';
import {
  ensureFederationStreams,
  startFederationNode,
  type FederationNode,
} from '../src/federation/node-runtime';
import { upSubject } from '../src/federation/subjects';
import { startOwnNats } from '../src/testing/own-nats';
import type { BenchOptions } from './run';

const REGIONAL = Number(process.env.BENCH_FED_REGIONAL ?? 200);
const ROUNDS = Number(process.env.BENCH_FED_ROUNDS ?? 3);
const PREFIX = 'bench.fed';
// This hour: a report looks back from now, so its buckets lie in the past.
const BUCKET = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
const log = createLogger('bench-federation');
log.level = process.env.BENCH_LOG ?? 'error';

interface Tier {
  service: FederationService;
  store: MemoryFederationStore;
  runtime: FederationNode | null;
  settings: ReturnType<typeof nodeSettingsSchema.parse>;
}

function tier(nodeId: string, parent: string | null, url: string): Tier {
  const store = new MemoryFederationStore();
  const top = { id: `u-${nodeId}`, path: `/u-${nodeId}/`, code: nodeId };
  const service = new FederationService(
    store,
    {
      unit: async () => top,
      subtreeCodes: async () => [],
      indicatorsUnder: async () => [],
      buckets: async () => [],
    },
    systemClock,
  );
  const settings = nodeSettingsSchema.parse({
    nodeId,
    parent,
    unitId: top.id,
    natsUrl: url,
    prefix: PREFIX,
    bucketSeconds: 3600,
    lookbackSeconds: 10 * 365 * 86400,
    reportEverySeconds: 1,
  });
  return { service, store, runtime: null, settings };
}

async function run(tierApp: Tier): Promise<void> {
  // The runtime reaches only these services of an app.
  const app = {
    services: {
      federation: tierApp.service,
      notifications: new NotificationBus(),
      holarchy: { get: async () => ({ code: null }) },
    },
  } as unknown as App;
  tierApp.runtime = await startFederationNode(app, tierApp.settings, log, {
    operations: false,
    sendEveryMs: 100,
  });
  await tierApp.runtime.joined;
}

const centralTotal = (c: Tier) => {
  let sum = 0;
  let n = 0;
  for (const r of c.store.partialMap.values()) {
    sum += r.p.sum;
    n += r.p.n;
  }
  return { sum, n };
};

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function runCase(local: number, outage: boolean): Promise<void> {
  const nats = await startOwnNats();
  const perRegion = Math.ceil(local / REGIONAL);
  const central = tier('central', null, nats.url);
  const regions = Array.from({ length: REGIONAL }, (_, r) => tier(`r${r}`, 'central', nats.url));
  for (const [r, region] of regions.entries()) {
    await central.service.addChild(region.settings.nodeId, 'u-central');
    for (let l = 0; l < perRegion && r * perRegion + l < local; l++)
      await region.service.addChild(`l${r * perRegion + l}`, region.settings.unitId);
  }
  const publisher: NatsConnection = await connect({ servers: nats.url, name: 'bench-locals' });
  await ensureFederationStreams(publisher, PREFIX);
  await run(central);
  for (const r of regions) await run(r);

  const sentAt: number[] = [];
  const sentCum: number[] = [];
  let sentSum = 0;
  let sentN = 0;
  const cumulative = new Float64Array(local);
  const counts = new Uint32Array(local);
  const samples: { t: number; sum: number }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      samples.push({ t: performance.now(), sum: centralTotal(central).sum });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const js = publisher.jetstream();
  // A busy machine may confirm late: publish again with the same message id (the stream drops the copy).
  const publish = async (subject: string, body: string, msgID: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await js.publish(subject, body, { msgID, timeout: 30_000 });
        return;
      } catch (e) {
        if (attempt >= 5) throw e;
      }
    }
  };
  const t0 = performance.now();
  let messages = 0;
  const outageRegion = regions[Math.floor(REGIONAL / 2)]!;
  let restartedAt = 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (outage && round === 1) await outageRegion.runtime!.close();
    for (let start = 0; start < local; start += 500) {
      const acks: Promise<unknown>[] = [];
      for (let l = start; l < Math.min(local, start + 500); l++) {
        const value = 1 + ((l * 7 + round * 13) % 10);
        cumulative[l]! += value;
        counts[l]! += 1;
        const region = Math.floor(l / perRegion);
        const body = JSON.stringify({
          v: SCHEMA_VERSION,
          kind: 'report',
          from: `l${l}`,
          sentAt: new Date().toISOString(),
          bucketSeconds: 3600,
          items: [
            {
              code: 'output',
              bucket: BUCKET,
              rev: counts[l]!,
              p: {
                aggregation: 'sum',
                sum: cumulative[l]!,
                n: counts[l]!,
                units: 1,
                sumMeans: cumulative[l]! / counts[l]!,
                weightSum: 1,
                weightedMeans: cumulative[l]! / counts[l]!,
              },
            },
          ],
        });
        acks.push(publish(upSubject(PREFIX, `r${region}`, `l${l}`, 'report'), body, `l${l}:${counts[l]}`));
        sentSum += value;
        sentN += 1;
        messages += 1;
      }
      await Promise.all(acks);
      sentAt.push(performance.now());
      sentCum.push(sentSum);
    }
    if (outage && round === 1) {
      // Offline for a while longer than its report interval, while the other regions carry on.
      await new Promise((r) => setTimeout(r, 5000));
      restartedAt = performance.now();
      await run(outageRegion);
    }
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  const deadline = performance.now() + 600_000;
  while (performance.now() < deadline) {
    const c = centralTotal(central);
    if (c.sum === sentSum && c.n === sentN) break;
    if (process.env.BENCH_LOG)
      console.error(
        JSON.stringify({ central: c, sentSum, sentN, regions: regions.map((r) => r.store.partialMap.size) }),
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  const doneAt = performance.now();
  // Let any late duplicates arrive: the check must still hold after them.
  await new Promise((r) => setTimeout(r, 3000));
  sampling = false;
  await sampler;
  const final = centralTotal(central);
  const delays: number[] = [];
  let k = 0;
  for (let i = 0; i < sentAt.length; i++) {
    while (k < samples.length && samples[k]!.sum < sentCum[i]!) k++;
    delays.push(((samples[k]?.t ?? doneAt) - sentAt[i]!) / 1000);
  }
  delays.sort((a, b) => a - b);
  const ok = final.sum === sentSum && final.n === sentN;
  const line: Record<string, unknown> = {
    bench: 'federation',
    local,
    regional: REGIONAL,
    outage,
    messages: messages,
    messages_per_s: Math.round(messages / ((doneAt - t0) / 1000)),
    send_s: Number(sendSeconds.toFixed(2)),
    p50_s: Number(quantile(delays, 0.5).toFixed(2)),
    p99_s: Number(quantile(delays, 0.99).toFixed(2)),
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    check: ok
      ? `ok (central sum ${final.sum} = sent ${sentSum}; readings ${final.n} = ${sentN})`
      : `FAILED (central sum ${final.sum}, sent ${sentSum}; readings ${final.n}, sent ${sentN})`,
  };
  if (outage) line.catch_up_s = Number(((doneAt - restartedAt) / 1000).toFixed(2));
  console.log(JSON.stringify(line));
  await Promise.all([central, ...regions].map((t) => t.runtime?.close()));
  await publisher.close();
  await nats.stop();
  if (!ok) process.exitCode = 1;
}

export default async function federation(options: BenchOptions): Promise<void> {
  const local = options.size ?? 20_000;
  await runCase(local, false);
  await runCase(local, true);
}
