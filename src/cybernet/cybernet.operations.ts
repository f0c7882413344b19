// Cybernet operations: indicators, readings in (JSON, CSV) and out (series, aggregates), quarantine, triple index.
import { z } from 'zod';
import { offload } from '../core/offload';
import { defineOperation } from '../core/operation';
import type { Principal } from '../core/principal';
import type { CybernetService } from './cybernet.service';
import { indicatorInputSchema, indicatorSchema, tripleIndexSchema } from './indicator';
import type { IngestService } from './ingest.service';
import type { DetectionRunner } from './detection-runner';
import type { DetectionBacklogRepository } from './detection-backlog.repository';
import type { ReadingsBus } from './readings-bus';
import { CHANNELS, QUARANTINE_REASONS, rawReadingSchema } from './reading';
import { MAX_CSV_READINGS } from './readings-csv';
import type { RawReading } from './reading';

declare module '../core/services' {
  interface Services {
    cybernet: CybernetService;
    ingest: IngestService;
    /** The runner of deferred detection (null when detection is inline). */
    detection: DetectionRunner | null;
    detectionBacklog: DetectionBacklogRepository;
    readingsBus: ReadingsBus;
  }
}

/** Who sent something, as the quarantine list and alert timelines name them. */
export function actorOf(p: Principal): string {
  if (p.kind === 'person') return `person:${p.personId}`;
  if (p.kind === 'machine') return `machine:${p.tokenId}`;
  return p.kind;
}

const unitId = z.string().min(1).describe('unit id');
const ingestResult = z.object({
  received: z.number().int(),
  accepted: z.number().int().describe('new readings stored'),
  duplicates: z.number().int().describe('readings whose source id was already stored (ignored)'),
  quarantined: z.array(
    z.object({
      index: z.number().int().describe('position in the batch (CSV: data row, from 0)'),
      reason: z.enum(QUARANTINE_REASONS),
      message: z.string(),
      sourceId: z.string().nullable(),
    }),
  ),
  detection: z
    .object({
      mode: z
        .enum(['inline', 'deferred'])
        .describe("'inline': alerts were raised before this answer; 'deferred': detection runs after commit"),
      through: z
        .number()
        .int()
        .nullable()
        .describe("deferred: the batch's detection watermark (pass it to readings.detection to wait for it)"),
      awaited: z.boolean().describe('deferred: whether this answer waited for detection (awaitDetection)'),
    })
    .describe('when the detectors examine these readings'),
});
/** Lets a caller of the deferred mode wait until its batch's alerts are stored (tests, scripts, the CLI). */
const awaitDetection = z
  .boolean()
  .default(false)
  .describe(
    'with detection deferred (OGAS_DETECTION=deferred), answer only once the detectors have examined this batch, so its alerts are stored; no effect when detection is inline',
  );
const reportAccess = {
  kind: 'unit' as const,
  permission: 'report' as const,
  unit: (i: { unitId: string }) => i.unitId,
};
const readAccess = {
  kind: 'unit' as const,
  permission: 'read' as const,
  unit: (i: { unitId: string }) => i.unitId,
  publicRead: true,
};
const byIndicator = {
  kind: 'unit' as const,
  permission: 'read' as const,
  publicRead: true,
  unit: (i: { id: string }, r: { unitOf(kind: string, id: string): Promise<string | null> }) =>
    r.unitOf('indicator', i.id),
};
const date = z.coerce.date();

export const cybernetOperations = [
  defineOperation({
    name: 'indicator.create',
    summary: 'Define an indicator on a unit: measure, cadence, good direction, aggregation, range, detector.',
    kind: 'command',
    input: indicatorInputSchema,
    output: indicatorSchema,
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.unitId },
    handler: (ctx, i) => ctx.services.cybernet.createIndicator(i),
  }),
  defineOperation({
    name: 'indicator.list',
    summary: 'The indicators of a unit (with subtree=true, of every unit below it too).',
    kind: 'query',
    input: z.object({ unitId, subtree: z.coerce.boolean().optional() }),
    output: z.object({ indicators: z.array(indicatorSchema) }),
    access: readAccess,
    cli: { positional: ['unitId'] },
    handler: async (ctx, i) => ({
      indicators: await ctx.services.cybernet.listIndicators(i.unitId, i.subtree ?? false),
    }),
  }),
  defineOperation({
    name: 'indicator.get',
    summary: 'One indicator.',
    kind: 'query',
    input: z.object({ id: z.string().min(1) }),
    output: indicatorSchema,
    access: byIndicator,
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.cybernet.getIndicator(i.id),
  }),
  defineOperation({
    name: 'readings.submit',
    summary:
      'Report a batch of readings for a unit and its subtree. Bad readings are quarantined with the reason; a source id already stored is ignored.',
    kind: 'command',
    input: z.object({
      unitId,
      readings: z.array(rawReadingSchema).max(100_000),
      channel: z
        .enum(['http', 'mqtt', 'nats'])
        .default('http')
        .describe('the way the batch came in (the MQTT and NATS adapters set it)'),
      awaitDetection,
    }),
    output: ingestResult,
    access: reportAccess,
    judgedByItem: ['readings'],
    handler: (ctx, i) =>
      ctx.services.ingest.ingest(
        i.readings,
        { reporterUnitId: i.unitId, channel: i.channel, actor: actorOf(ctx.principal) },
        undefined,
        { awaitDetection: i.awaitDetection },
      ),
  }),
  defineOperation({
    name: 'readings.detection',
    summary:
      "Where detection stands when it runs after commit: readings still queued, and batches set aside with the reason. With `through` (an ingest answer's watermark), waits until the detectors have examined that batch.",
    kind: 'query',
    input: z.object({
      unitId,
      through: z.coerce
        .number()
        .int()
        .min(0)
        .max(Number.MAX_SAFE_INTEGER)
        .optional()
        .describe('wait until detection has passed this watermark'),
    }),
    output: z.object({
      mode: z.enum(['inline', 'deferred']),
      pending: z
        .object({ batches: z.number().int(), readings: z.number().int() })
        .describe('series batches of this unit and below still queued for the detectors, and their readings'),
      failed: z
        .array(
          z.object({
            id: z.number().int(),
            indicatorId: z.string(),
            readings: z.number().int(),
            queuedAt: z.date(),
            failedAt: z.date(),
            failure: z.string(),
          }),
        )
        .describe(
          'series batches of this unit and below that the detectors could not examine, with the reason',
        ),
    }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId },
    cli: { positional: ['unitId'] },
    handler: async (ctx, i) => {
      const runner = ctx.services.detection;
      if (runner && i.through !== undefined) await runner.waitFor(i.through);
      const unit = await ctx.services.holarchy.get(i.unitId);
      return {
        mode: ctx.services.ingest.detectionMode,
        // Only the reader's subtree: another subtree's activity is not theirs to see, not even as a count.
        pending: await ctx.services.detectionBacklog.pending(unit.path),
        failed: await ctx.services.detectionBacklog.failed(unit.path),
      };
    },
  }),
  defineOperation({
    name: 'readings.csv',
    summary: 'Report readings as CSV: a header "unit,indicator,at,value,sourceId", then one reading per row.',
    kind: 'command',
    input: z.object({
      unitId,
      csv: z
        .string()
        .min(1)
        .max(32 * 1024 * 1024)
        .describe(`the CSV text (at most ${MAX_CSV_READINGS} readings)`),
      awaitDetection,
    }),
    output: ingestResult,
    access: reportAccess,
    cli: { files: [{ field: 'csv', encoding: 'utf8' }] },
    // The parse runs in the compute pool; storing the readings is the ingest service's, on the main thread.
    handler: async (ctx, i) =>
      ctx.services.ingest.ingest(
        await offload<RawReading[]>(ctx, 'readings.parse-csv', i.csv),
        { reporterUnitId: i.unitId, channel: 'csv', actor: actorOf(ctx.principal) },
        undefined,
        { awaitDetection: i.awaitDetection },
      ),
  }),
  defineOperation({
    name: 'readings.list',
    summary:
      'A series for charts: each reading with the forecast made before it, its interval and change points.',
    kind: 'query',
    input: z.object({
      id: z.string().min(1).describe('indicator id'),
      from: date.optional(),
      to: date.optional(),
      limit: z.coerce.number().int().min(1).max(100_000).default(1000),
    }),
    output: z.object({
      indicator: indicatorSchema,
      points: z.array(
        z.object({
          sourceId: z.string(),
          at: z.date(),
          value: z.number(),
          forecast: z
            .object({ mean: z.number(), lower: z.number().nullable(), upper: z.number().nullable() })
            .nullable(),
          score: z.number().nullable(),
          changePoint: z.boolean(),
        }),
      ),
    }),
    access: byIndicator,
    cli: { positional: ['id'] },
    handler: (ctx, i) => ctx.services.cybernet.series(i.id, i.from ?? null, i.to ?? null, i.limit),
  }),
  defineOperation({
    name: 'readings.aggregate',
    summary:
      "A unit's subtree readings of one indicator code per time bucket, combined as the indicator declares.",
    kind: 'query',
    input: z.object({
      unitId,
      code: z.string().min(1),
      bucketSeconds: z.coerce.number().int().min(1).default(3600),
      from: date,
      to: date,
    }),
    output: z.object({
      unitId: z.string(),
      code: z.string(),
      aggregation: z.string(),
      measure: z.string(),
      units: z.number().int(),
      points: z.array(
        z.object({ bucket: z.date(), value: z.number(), units: z.number(), readings: z.number() }),
      ),
    }),
    access: readAccess,
    handler: (ctx, i) => ctx.services.cybernet.aggregate(i.unitId, i.code, i.bucketSeconds, i.from, i.to),
  }),
  defineOperation({
    name: 'readings.quarantine',
    summary: 'Quarantined readings reported for a unit or below it, newest first, each with its reason.',
    kind: 'query',
    input: z.object({
      unitId,
      reason: z.enum(QUARANTINE_REASONS).optional(),
      limit: z.coerce.number().int().min(1).max(10_000).default(100),
    }),
    output: z.object({
      entries: z.array(
        z.object({
          id: z.number(),
          at: z.date(),
          reporterUnitId: z.string(),
          channel: z.string(),
          actor: z.string(),
          reason: z.enum(QUARANTINE_REASONS),
          message: z.string(),
          sourceId: z.string().nullable(),
          raw: z.unknown(),
        }),
      ),
    }),
    access: { kind: 'unit', permission: 'read', unit: (i) => i.unitId },
    cli: { positional: ['unitId'] },
    handler: async (ctx, i) => ({
      entries: await ctx.services.cybernet.quarantine(i.unitId, i.limit, i.reason),
    }),
  }),
  defineOperation({
    name: 'readings.reject',
    summary: 'Record a message that could not be read as readings (used by the MQTT and NATS adapters).',
    kind: 'command',
    input: z.object({
      unitId,
      channel: z.enum(CHANNELS),
      reason: z.enum(QUARANTINE_REASONS),
      message: z.string().max(2000),
      raw: z.unknown(),
    }),
    output: z.object({ ok: z.literal(true) }),
    access: { kind: 'unit', permission: 'admin', unit: (i) => i.unitId },
    handler: async (ctx, i) => {
      await ctx.services.ingest.quarantineMessage({
        reporterUnitId: i.unitId,
        channel: i.channel,
        actor: actorOf(ctx.principal),
        reason: i.reason,
        message: i.message,
        sourceId: null,
        raw: i.raw ?? null,
      });
      return { ok: true as const };
    },
  }),
  defineOperation({
    name: 'triple-index.set',
    summary:
      "Report a unit's actuality, capability and potentiality for a period; productivity, latency and performance follow.",
    kind: 'command',
    input: z.object({
      unitId,
      period: z.string().trim().min(1).max(40).describe('e.g. "2026-03" or "2026-W10"'),
      actuality: z.number().min(0),
      capability: z.number().min(0),
      potentiality: z.number().min(0),
    }),
    output: tripleIndexSchema,
    access: reportAccess,
    handler: (ctx, { unitId: u, period, ...v }) => ctx.services.cybernet.setTripleIndex(u, period, v),
  }),
  defineOperation({
    name: 'triple-index.get',
    summary:
      "A unit's triple index per period, with productivity = A/C, latency = C/P and performance = A/P.",
    kind: 'query',
    input: z.object({ unitId, period: z.string().optional() }),
    output: z.object({ periods: z.array(tripleIndexSchema) }),
    access: readAccess,
    cli: { positional: ['unitId'] },
    handler: async (ctx, i) => ({ periods: await ctx.services.cybernet.tripleIndex(i.unitId, i.period) }),
  }),
];
