// Use cases of Cybernet: indicators, Beer's triple index, series for charts, aggregation and quarantine.
import type { Clock } from '../core/clock';
import { DomainError, notFound } from '../core/errors';
import { newId } from '../core/ids';
import { aggregateBuckets } from './aggregation';
import type { CybernetRepository } from './cybernet.repository';
import { deriveTripleIndex, type Indicator, type IndicatorInput, type TripleIndex } from './indicator';
import { mergePartials, partialOf, valueOf, type PartialAggregate } from './partial-aggregate';
import type { RemoteAggregates, SeriesMonitor, UnitDirectory } from './ports';
import type { QuarantineReason } from './reading';

export class CybernetService {
  /** Indicators by unit id, then code: the ingest path looks each reading's indicator up here. */
  private readonly byUnit = new Map<string, Map<string, Indicator>>();
  private remote: RemoteAggregates | null = null;

  constructor(
    private readonly repo: CybernetRepository,
    private readonly units: UnitDirectory,
    private readonly monitor: SeriesMonitor,
    private readonly clock: Clock,
  ) {}

  /** On a federation node: aggregates of the parts of a subtree served by child nodes. */
  useRemoteAggregates(remote: RemoteAggregates): void {
    this.remote = remote;
  }

  async createIndicator(input: IndicatorInput): Promise<Indicator> {
    await this.units.get(input.unitId);
    this.monitor.validateDetector(input.detector, input.detectorSettings);
    if (input.min != null && input.max != null && input.min > input.max) {
      throw new DomainError('invalid', 'min: the physical range is empty (min > max)', {
        issues: [{ field: 'min', message: 'must not exceed max' }],
      });
    }
    if ((await this.indicatorsOf(input.unitId)).has(input.code)) {
      throw new DomainError(
        'duplicate',
        `code: unit "${input.unitId}" already has indicator "${input.code}"`,
        {
          issues: [{ field: 'code', message: 'must be unique on the unit' }],
        },
      );
    }
    const indicator: Indicator = {
      id: newId('ind'),
      unitId: input.unitId,
      code: input.code,
      name: input.name,
      measure: input.measure,
      cadenceSeconds: input.cadenceSeconds ?? null,
      goodDirection: input.goodDirection,
      aggregation: input.aggregation,
      weight: input.weight,
      min: input.min ?? null,
      max: input.max ?? null,
      detector: input.detector,
      detectorSettings: input.detectorSettings,
      productCode: input.productCode ?? null,
      technologyCode: input.technologyCode ?? null,
      expected: input.expected ?? null,
    };
    await this.repo.transaction(async (tx) => {
      await this.repo.insertIndicator(indicator, tx);
      await this.monitor.startSeries(tx, indicator);
    });
    this.byUnit.delete(input.unitId);
    return indicator;
  }

  async getIndicator(id: string): Promise<Indicator> {
    const i = await this.repo.indicator(id);
    if (!i) throw notFound('indicator', id);
    return i;
  }

  indicatorUnit(id: string): Promise<string | null> {
    return this.repo.indicatorUnit(id);
  }

  /** Indicators of the unit and, with `subtree`, of every unit below it. */
  async listIndicators(unitId: string, subtree: boolean): Promise<Indicator[]> {
    const unit = await this.units.get(unitId);
    if (!subtree) return [...(await this.indicatorsOf(unitId)).values()];
    return (await this.repo.indicatorsUnder(unit.path)).map(({ unitPath: _p, ...i }) => i);
  }

  /** Cached per unit; creating an indicator clears that unit's entry. */
  async indicatorsOf(unitId: string): Promise<Map<string, Indicator>> {
    let map = this.byUnit.get(unitId);
    if (!map) {
      map = new Map((await this.repo.indicatorsOfUnits([unitId])).map((i) => [i.code, i]));
      this.byUnit.set(unitId, map);
    }
    return map;
  }

  async series(indicatorId: string, from: Date | null, to: Date | null, limit: number) {
    const indicator = await this.getIndicator(indicatorId);
    const rows = await this.repo.series(indicatorId, from, to, limit);
    return {
      indicator,
      points: rows.map((r) => ({
        sourceId: r.source_id,
        at: r.at,
        value: r.value,
        forecast:
          r.forecast_mean === null
            ? null
            : { mean: r.forecast_mean, lower: r.forecast_lower, upper: r.forecast_upper },
        score: r.score,
        changePoint: r.change_point,
      })),
    };
  }

  /**
   * The subtree's readings of one indicator code per time bucket, combined as the indicators declare. On a
   * federation node, parts of the subtree served by child nodes add their reported partial aggregates.
   */
  async aggregate(unitId: string, code: string, bucketSeconds: number, from: Date, to: Date) {
    const unit = await this.units.get(unitId);
    const indicators = await this.repo.indicatorsUnder(unit.path, code);
    const remote = this.remote ? await this.remote(unitId, code, bucketSeconds, from, to) : [];
    const rule = indicators[0];
    if (!rule && remote.length === 0) throw notFound('indicator code in this subtree', code);
    const weights = new Map(indicators.map((i) => [i.unitId, i.weight]));
    const rows = await this.repo.bucketed(unit.path, code, bucketSeconds, from, to);
    const local = rows.map((r) => ({
      bucket: r.bucket,
      unitId: r.unit_id,
      sum: r.sum,
      mean: r.mean,
      n: r.n,
    }));
    const aggregation = rule?.aggregation ?? remote[0]!.p.aggregation;
    const points =
      remote.length === 0
        ? aggregateBuckets(local, aggregation, (u) => weights.get(u) ?? 1)
        : mergedPoints(local, remote, aggregation, (u) => weights.get(u) ?? 1);
    return {
      unitId,
      code,
      aggregation,
      measure: rule?.measure ?? '',
      units: indicators.length + remote.reduce((m, r) => Math.max(m, r.p.units), 0),
      points,
    };
  }

  async quarantine(unitId: string, limit: number, reason?: QuarantineReason) {
    const unit = await this.units.get(unitId);
    const rows = await this.repo.quarantine(unit.path, limit, reason);
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      reporterUnitId: r.reporter_unit_id,
      channel: r.channel,
      actor: r.actor,
      reason: r.reason as QuarantineReason,
      message: r.message,
      sourceId: r.source_id,
      raw: r.raw,
    }));
  }

  async setTripleIndex(
    unitId: string,
    period: string,
    v: { actuality: number; capability: number; potentiality: number },
  ): Promise<TripleIndex> {
    await this.units.get(unitId);
    const at = this.clock.now();
    await this.repo.setTripleIndex(unitId, period, v, at);
    return {
      unitId,
      period,
      ...v,
      ...deriveTripleIndex(v.actuality, v.capability, v.potentiality),
      reportedAt: at,
    };
  }

  async tripleIndex(unitId: string, period?: string): Promise<TripleIndex[]> {
    await this.units.get(unitId);
    const rows = await this.repo.tripleIndex(unitId, period);
    return rows.map((r) => ({
      unitId: r.unit_id,
      period: r.period,
      actuality: r.actuality,
      capability: r.capability,
      potentiality: r.potentiality,
      ...deriveTripleIndex(r.actuality, r.capability, r.potentiality),
      reportedAt: r.reported_at,
    }));
  }
}

/** Local per-unit buckets and remote partials, merged per bucket (the same value aggregateBuckets gives). */
function mergedPoints(
  local: { bucket: Date; unitId: string; sum: number; mean: number; n: number }[],
  remote: { bucket: Date; p: PartialAggregate }[],
  aggregation: PartialAggregate['aggregation'],
  weightOf: (unitId: string) => number,
) {
  const byBucket = new Map<number, PartialAggregate>();
  const add = (t: number, p: PartialAggregate) => {
    const had = byBucket.get(t);
    byBucket.set(t, had ? mergePartials(had, p) : p);
  };
  const localByBucket = new Map<number, typeof local>();
  for (const r of local) {
    const t = r.bucket.getTime();
    localByBucket.set(t, [...(localByBucket.get(t) ?? []), r]);
  }
  for (const [t, rs] of localByBucket) add(t, partialOf(rs, aggregation, weightOf));
  for (const r of remote) add(r.bucket.getTime(), { ...r.p, aggregation });
  return [...byBucket.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, p]) => ({ bucket: new Date(t), value: valueOf(p), units: p.units, readings: p.n }));
}
