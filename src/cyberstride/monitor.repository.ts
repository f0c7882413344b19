// SQL of Cyberstride: per-series detector state, alerts, their timeline, and escalation deadlines.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AlertTable, Database } from '../store/database';
import type { Alert, AlertEvent, AlertEventKind, AlertStatus } from './alert';
import type { DetectorKind } from './detectors/detector';
import { inTransaction } from '../store/transaction';
import { SHORTFALL_RULE } from './plan-shortfall';

export type MonitorTx = Transaction<Database>;
type Db = Kysely<Database> | Transaction<Database>;

export interface SeriesStateRow {
  indicatorId: string;
  /** JSON text: it is parsed where the detector runs (perhaps a worker thread), not here. */
  state: string;
  /** The detector kind that wrote the state. */
  kind: DetectorKind;
  openAlertId: string | null;
  /** Seconds without a critical signal since the last one. */
  quiet: number;
  /** The series' latest reading before this batch. */
  lastAt: Date | null;
  /** The detector restarts from its initial state (a change was acknowledged). */
  rebaseline: boolean;
  /**
   * The row version (PostgreSQL's `xmin`, the transaction that wrote it): two reads with the same version saw
   * the same row, so the detection runner can check that a state it detected a round ahead from is still it.
   */
  version: string;
}

export interface SeriesStateUpdate {
  indicatorId: string;
  /** JSON text. */
  state: string;
  kind: DetectorKind;
  /** Why the stored state was not continued and the warm-up restarted (null: it was continued). */
  restarted: string | null;
  added: number;
  lastAt: Date;
  openAlertId: string | null;
  quiet: number;
}

export interface NewAlertEvent {
  alertId: string;
  at: Date;
  kind: AlertEventKind;
  actor: string;
  levelUnitId: string;
  levelDepth: number;
  detail: Record<string, unknown>;
}

type AlertRow = Selectable<AlertTable> & {
  unit_path: string;
  level_path: string;
  unit_name: string;
  level_name: string;
};

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitPath: r.unit_path,
    unitName: r.unit_name,
    indicatorId: r.indicator_id,
    kind: r.rule === SHORTFALL_RULE ? 'plan-shortfall' : 'statistical',
    status: r.status as AlertStatus,
    level: { unitId: r.level_unit_id, path: r.level_path, depth: r.level_depth, name: r.level_name },
    severity: r.severity,
    rule: r.rule,
    message: r.message,
    statistics: typeof r.evidence.statistics === 'string' ? r.evidence.statistics : null,
    evidence: r.evidence,
    signalCount: r.signal_count,
    openedAt: r.opened_at,
    lastSignalAt: r.last_signal_at,
    escalateDueAt: r.escalate_due_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  };
}

export class MonitorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: MonitorTx) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn);
  }

  async startSeries(tx: Db, indicatorId: string, kind: string, state: unknown, at: Date): Promise<void> {
    await tx
      .insertInto('series_state')
      .values({
        indicator_id: indicatorId,
        detector_kind: kind,
        state: JSON.stringify(state),
        readings: 0,
        updated_at: at,
      })
      .execute();
  }

  /** Locks the series' rows (in id order, so two batches never deadlock) and returns their state. */
  /** Locks the series' rows (in id order) and reads them; `lock` false only reads (a round ahead). */
  async lockStates(tx: Db, ids: string[], lock = true): Promise<SeriesStateRow[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<{
      indicator_id: string;
      detector_kind: string;
      state: string;
      open_alert_id: string | null;
      quiet_seconds: number;
      last_at: Date | null;
      rebaseline: boolean;
      version: string;
    }>`
      select indicator_id, detector_kind, state::text as state, open_alert_id, quiet_seconds, last_at, rebaseline,
        xmin::text as version
      from series_state where indicator_id = any(${ids}::text[]) order by indicator_id ${lock ? sql`for update` : sql``}`.execute(
      tx,
    );
    return rows.map((r) => ({
      indicatorId: r.indicator_id,
      kind: r.detector_kind as DetectorKind,
      state: r.state,
      openAlertId: r.open_alert_id,
      quiet: r.quiet_seconds,
      lastAt: r.last_at === null ? null : new Date(r.last_at),
      rebaseline: r.rebaseline,
      version: r.version,
    }));
  }

  /** One statement for all the batch's series, their states passed as one JSON document. */
  async saveStates(tx: Db, rows: SeriesStateUpdate[], at: Date): Promise<void> {
    if (rows.length === 0) return;
    const doc = `[${rows
      .map(
        (r) =>
          `{"i":${JSON.stringify(r.indicatorId)},"k":${JSON.stringify(r.kind)},"s":${r.state},"n":${r.added},"t":${r.lastAt.getTime()},"a":${JSON.stringify(r.openAlertId)},"q":${Math.round(r.quiet)},"r":${JSON.stringify(r.restarted)}}`,
      )
      .join(',')}]`;
    await sql`
      update series_state s set state = k.s, detector_kind = k.k, readings = s.readings + k.n,
        last_at = greatest(s.last_at, to_timestamp(k.t / 1000)), open_alert_id = k.a, quiet_seconds = k.q,
        rebaseline = false, updated_at = ${at}::timestamptz,
        restarted_at = case when k.r is null then s.restarted_at else ${at}::timestamptz end,
        restart_reason = coalesce(k.r, s.restart_reason)
      from jsonb_to_recordset(${doc}::jsonb) as k(i text, k text, s jsonb, n int, t float8, a text, q int, r text)
      where s.indicator_id = k.i`.execute(tx);
  }

  async seriesState(indicatorId: string) {
    return this.db
      .selectFrom('series_state')
      .selectAll()
      .where('indicator_id', '=', indicatorId)
      .executeTakeFirst();
  }

  /** Asks the series of an alert to restart its detector from the new regime at its next batch. */
  async requestRebaseline(tx: Db, alertId: string): Promise<void> {
    await tx
      .updateTable('series_state')
      .set({ rebaseline: true })
      .where('open_alert_id', '=', alertId)
      .execute();
  }

  /** The alert was resolved by hand: no series and no plan-shortfall episode holds it open any more. */
  async clearOpenAlert(tx: Db, alertId: string): Promise<void> {
    await tx.deleteFrom('plan_shortfalls').where('alert_id', '=', alertId).execute();
    await tx
      .updateTable('series_state')
      .set({ open_alert_id: null })
      .where('open_alert_id', '=', alertId)
      .execute();
  }

  private alerts(db: Db) {
    return db
      .selectFrom('alerts')
      .innerJoin('units as owner', 'owner.id', 'alerts.unit_id')
      .innerJoin('units as lvl', 'lvl.id', 'alerts.level_unit_id')
      .selectAll('alerts')
      .select([
        'owner.path as unit_path',
        'lvl.path as level_path',
        'owner.name as unit_name',
        'lvl.name as level_name',
      ]);
  }

  async alert(id: string, db: Db = this.db): Promise<Alert | null> {
    const r = await this.alerts(db).where('alerts.id', '=', id).executeTakeFirst();
    return r ? toAlert(r) : null;
  }

  async alertUnit(id: string): Promise<string | null> {
    const r = await this.db.selectFrom('alerts').select('unit_id').where('id', '=', id).executeTakeFirst();
    return r?.unit_id ?? null;
  }

  /** Alerts whose owner lies under one of the paths ('everywhere' for all), newest first. */
  async listAlerts(paths: string[] | 'everywhere', statuses: AlertStatus[], limit: number): Promise<Alert[]> {
    if (paths !== 'everywhere' && paths.length === 0) return [];
    let q = this.alerts(this.db).where('alerts.status', 'in', statuses);
    if (paths !== 'everywhere') {
      q = q.where((eb) => eb.or(paths.map((p) => eb('owner.path', 'like', `${p}%`))));
    }
    const rows = await q.orderBy('alerts.opened_at', 'desc').limit(limit).execute();
    return rows.map(toAlert);
  }

  /** Alerts that reached (and stand at) one unit's level, newest first: a federation node's top-level alerts. */
  async alertsAtLevel(unitId: string, limit: number): Promise<Alert[]> {
    const rows = await this.alerts(this.db)
      .where('alerts.level_unit_id', '=', unitId)
      .orderBy('alerts.opened_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toAlert);
  }

  async insertAlert(
    tx: Db,
    a: Omit<Alert, 'unitPath' | 'level' | 'statistics' | 'kind'> & {
      levelUnitId: string;
      levelDepth: number;
    },
  ) {
    await tx
      .insertInto('alerts')
      .values({
        id: a.id,
        unit_id: a.unitId,
        indicator_id: a.indicatorId,
        status: a.status,
        level_unit_id: a.levelUnitId,
        level_depth: a.levelDepth,
        severity: a.severity,
        rule: a.rule,
        message: a.message,
        evidence: JSON.stringify(a.evidence),
        signal_count: a.signalCount,
        opened_at: a.openedAt,
        last_signal_at: a.lastSignalAt,
        escalate_due_at: a.escalateDueAt,
      })
      .execute();
  }

  /** Folds more signals into an unresolved alert; returns false when it was resolved meanwhile. */
  async addSignals(
    tx: Db,
    id: string,
    s: { count: number; at: Date; message: string; rule: string; evidence: Record<string, unknown> },
  ): Promise<boolean> {
    const r = await tx
      .updateTable('alerts')
      .set((eb) => ({
        signal_count: eb('signal_count', '+', s.count),
        last_signal_at: s.at,
        message: s.message,
        rule: s.rule,
        evidence: JSON.stringify(s.evidence),
      }))
      .where('id', '=', id)
      .where('status', '!=', 'resolved')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async setStatus(
    tx: Db,
    id: string,
    from: AlertStatus[],
    patch: Partial<{
      status: AlertStatus;
      escalate_due_at: Date | null;
      acknowledged_at: Date;
      acknowledged_by: string;
      resolved_at: Date;
      resolved_by: string;
      level_unit_id: string;
      level_depth: number;
    }>,
  ): Promise<boolean> {
    const r = await tx
      .updateTable('alerts')
      .set(patch)
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Open alerts whose escalation is due, locked so two timers never climb the same alert twice. */
  async dueAlerts(tx: Db, now: Date, limit: number) {
    const { rows } = await sql<{ id: string; unit_path: string; level_depth: number; escalate_due_at: Date }>`
      select a.id, u.path as unit_path, a.level_depth, a.escalate_due_at
      from alerts a join units u on u.id = a.unit_id
      where a.status = 'open' and a.escalate_due_at <= ${now}::timestamptz
      order by a.escalate_due_at limit ${limit} for update of a skip locked`.execute(tx);
    return rows;
  }

  async insertEvents(tx: Db, events: NewAlertEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx
      .insertInto('alert_events')
      .values(
        events.map((e) => ({
          alert_id: e.alertId,
          at: e.at,
          kind: e.kind,
          actor: e.actor,
          level_unit_id: e.levelUnitId,
          level_depth: e.levelDepth,
          detail: JSON.stringify(e.detail),
        })),
      )
      .execute();
  }

  async events(alertId: string): Promise<AlertEvent[]> {
    const rows = await this.db
      .selectFrom('alert_events')
      .selectAll()
      .where('alert_id', '=', alertId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      at: r.at,
      kind: r.kind as AlertEventKind,
      actor: r.actor,
      level: { unitId: r.level_unit_id, depth: r.level_depth },
      detail: r.detail,
    }));
  }

  async deadlines(db: Db = this.db): Promise<{ depth: number; seconds: number }[]> {
    return db.selectFrom('escalation_deadlines').selectAll().orderBy('depth').execute();
  }

  async setDeadlines(rows: { depth: number; seconds: number }[]): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx.deleteFrom('escalation_deadlines').execute();
      if (rows.length > 0) await tx.insertInto('escalation_deadlines').values(rows).execute();
    });
  }
}
