// SQL of plan-shortfall alerts: the outbox of checks, the open episode of each indicator, the tolerances.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/database';
import { inTransaction } from '../store/transaction';

type Db = Kysely<Database> | Transaction<Database>;
export type ShortfallTx = Transaction<Database>;

export interface QueuedCheck {
  indicatorId: string;
  queuedAt: Date;
}

/** What the rule needs of an indicator and its unit. */
export interface ShortfallSubject {
  id: string;
  code: string;
  name: string;
  measure: string;
  cadenceSeconds: number | null;
  aggregation: 'sum' | 'mean' | 'weighted-mean';
  productCode: string | null;
  technologyCode: string | null;
  unitId: string;
  unitCode: string | null;
  unitPath: string;
}

export interface EpisodeRow {
  indicatorId: string;
  planId: string;
  alertId: string;
}

export interface SettingRow {
  unitId: string;
  indicatorId: string;
  tolerance: number;
  window: number;
  setBy: string;
  setAt: Date;
}

export class PlanShortfallRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn);
  }

  /**
   * Queues the indicators among `ids` that report an output the plan can ask for (a product or technology
   * code), inside the caller's transaction: the readings and the check commit together or not at all.
   */
  async queue(tx: Db, ids: readonly string[], at: Date, reason: string): Promise<void> {
    if (ids.length === 0) return;
    await sql`
      insert into plan_shortfall_checks (indicator_id, queued_at, reason)
      select id, ${at}::timestamptz, ${reason} from indicators
      where id = any(${[...ids]}::text[]) and (product_code is not null or technology_code is not null)
      union
      -- The same code's additive indicators above, which may judge the sum of the readings below them.
      select a.id, ${at}::timestamptz, ${reason} from indicators c
      join units cu on cu.id = c.unit_id
      join indicators a on a.code = c.code and a.aggregation = 'sum' and a.id <> c.id
      join units au on au.id = a.unit_id and cu.path like au.path || '%' and cu.path <> au.path
      where c.id = any(${[...ids]}::text[]) and c.aggregation = 'sum'
        and (a.product_code is not null or a.technology_code is not null)
      on conflict (indicator_id) do update set queued_at = excluded.queued_at, reason = excluded.reason`.execute(
      tx,
    );
  }

  /** Queues every such indicator of the unit's subtree (a plan was adopted on it). */
  async queueSubtree(tx: Db, unitId: string, at: Date, reason: string): Promise<void> {
    await sql`
      insert into plan_shortfall_checks (indicator_id, queued_at, reason)
      select i.id, ${at}::timestamptz, ${reason} from indicators i
      join units u on u.id = i.unit_id
      join units top on top.id = ${unitId} and u.path like top.path || '%'
      where i.product_code is not null or i.technology_code is not null
      on conflict (indicator_id) do update set queued_at = excluded.queued_at, reason = excluded.reason`.execute(
      tx,
    );
  }

  async queued(limit: number): Promise<QueuedCheck[]> {
    const rows = await this.db
      .selectFrom('plan_shortfall_checks')
      .select(['indicator_id', 'queued_at'])
      .orderBy('queued_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ indicatorId: r.indicator_id, queuedAt: new Date(r.queued_at) }));
  }

  /** Done with a check, unless it was queued again meanwhile (a newer reading): then the next pass takes it. */
  async done(tx: Db, c: QueuedCheck): Promise<void> {
    await tx
      .deleteFrom('plan_shortfall_checks')
      .where('indicator_id', '=', c.indicatorId)
      .where('queued_at', '<=', c.queuedAt)
      .execute();
  }

  async subject(id: string): Promise<ShortfallSubject | null> {
    const r = await this.db
      .selectFrom('indicators as i')
      .innerJoin('units as u', 'u.id', 'i.unit_id')
      .select([
        'i.id',
        'i.code',
        'i.name',
        'i.measure',
        'i.cadence_seconds',
        'i.aggregation',
        'i.product_code',
        'i.technology_code',
        'u.id as unit_id',
        'u.code as unit_code',
        'u.path as unit_path',
      ])
      .where('i.id', '=', id)
      .executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      measure: r.measure,
      cadenceSeconds: r.cadence_seconds,
      aggregation: r.aggregation as ShortfallSubject['aggregation'],
      productCode: r.product_code,
      technologyCode: r.technology_code,
      unitId: r.unit_id,
      unitCode: r.unit_code,
      unitPath: r.unit_path,
    };
  }

  async newestReadings(indicatorId: string, n: number): Promise<{ at: Date; value: number }[]> {
    const rows = await this.db
      .selectFrom('readings')
      .select(['at', 'value'])
      .where('indicator_id', '=', indicatorId)
      .orderBy('at', 'desc')
      .limit(n)
      .execute();
    return rows.map((r) => ({ at: new Date(r.at), value: Number(r.value) }));
  }

  /**
   * The additive indicators of the same code on the units strictly below the subject's unit, each with its
   * newest `n` readings (newest first): what rolls up into a unit that does not report the code itself.
   */
  async sameCodeBelow(
    subject: Pick<ShortfallSubject, 'code' | 'unitPath'>,
    n: number,
  ): Promise<{ unitPath: string; newestFirst: { at: Date; value: number }[] }[]> {
    const { rows } = await sql<{ id: string; path: string; at: Date | string | null; value: number | null }>`
      select i.id, u.path, r.at, r.value from indicators i
      join units u on u.id = i.unit_id
      left join lateral (
        select at, value from readings where indicator_id = i.id order by at desc limit ${n}
      ) r on true
      where i.code = ${subject.code} and i.aggregation = 'sum'
        and u.path like ${subject.unitPath} || '%' and u.path <> ${subject.unitPath}
      order by i.id, r.at desc`.execute(this.db);
    const out = new Map<string, { unitPath: string; newestFirst: { at: Date; value: number }[] }>();
    for (const r of rows) {
      const s = out.get(r.id) ?? { unitPath: r.path, newestFirst: [] };
      out.set(r.id, s);
      if (r.at !== null && r.value !== null)
        s.newestFirst.push({ at: new Date(r.at), value: Number(r.value) });
    }
    return [...out.values()];
  }

  /** The open episode, locked for the rest of the transaction. */
  async episode(tx: Db, indicatorId: string): Promise<EpisodeRow | null> {
    const { rows } = await sql<{ indicator_id: string; plan_id: string; alert_id: string }>`
      select indicator_id, plan_id, alert_id from plan_shortfalls where indicator_id = ${indicatorId}
      for update`.execute(tx);
    const r = rows[0];
    return r ? { indicatorId: r.indicator_id, planId: r.plan_id, alertId: r.alert_id } : null;
  }

  async openEpisode(tx: Db, e: EpisodeRow, at: Date): Promise<void> {
    await tx
      .insertInto('plan_shortfalls')
      .values({ indicator_id: e.indicatorId, plan_id: e.planId, alert_id: e.alertId, opened_at: at })
      .execute();
  }

  async closeEpisode(tx: Db, indicatorId: string): Promise<void> {
    await tx.deleteFrom('plan_shortfalls').where('indicator_id', '=', indicatorId).execute();
  }

  /** The settings that may apply to an indicator: its own, and its unit's and the units' above it. */
  async settingsFor(indicatorId: string, unitIds: string[]): Promise<SettingRow[]> {
    const rows = await this.db
      .selectFrom('plan_shortfall_settings')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('indicator_id', '=', indicatorId),
          ...(unitIds.length > 0
            ? [eb.and([eb('indicator_id', '=', ''), eb('unit_id', 'in', unitIds)])]
            : []),
        ]),
      )
      .execute();
    return rows.map(toSetting);
  }

  async settingsOfUnit(unitId: string): Promise<SettingRow[]> {
    const rows = await this.db
      .selectFrom('plan_shortfall_settings')
      .selectAll()
      .where('unit_id', '=', unitId)
      .orderBy('indicator_id')
      .execute();
    return rows.map(toSetting);
  }

  async saveSetting(s: SettingRow, tx: Db = this.db): Promise<void> {
    await tx
      .insertInto('plan_shortfall_settings')
      .values({
        unit_id: s.unitId,
        indicator_id: s.indicatorId,
        tolerance: s.tolerance,
        window_readings: s.window,
        set_by: s.setBy,
        set_at: s.setAt,
      })
      .onConflict((oc) =>
        oc.columns(['unit_id', 'indicator_id']).doUpdateSet({
          tolerance: s.tolerance,
          window_readings: s.window,
          set_by: s.setBy,
          set_at: s.setAt,
        }),
      )
      .execute();
  }
}

function toSetting(r: {
  unit_id: string;
  indicator_id: string;
  tolerance: number;
  window_readings: number;
  set_by: string;
  set_at: Date | string;
}): SettingRow {
  return {
    unitId: r.unit_id,
    indicatorId: r.indicator_id,
    tolerance: Number(r.tolerance),
    window: r.window_readings,
    setBy: r.set_by,
    setAt: new Date(r.set_at),
  };
}
