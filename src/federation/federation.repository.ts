// SQL of the federation (the FederationStore port over a node's database).
import { sql, type Kysely, type Transaction } from 'kysely';
import { storableText } from '../core/input-guard';
import type { Database } from '../store/database';
import { inTransaction } from '../store/transaction';
import type { Aggregation } from '../cybernet/indicator';
import type {
  ChildNode,
  ReceivedRound,
  FederationQuarantineEntry,
  FederationStore,
  OutboxRow,
  PartialRow,
  RemoteAlert,
  StoredTarget,
  TargetAck,
} from './federation-store';
import type { FederationQuarantineReason, ShortfallFacts } from './messages';

type Db = Kysely<Database> | Transaction<Database>;

/** The lifecycle's order in SQL, as statusRank says it (an unknown state counts as open). */
const rank = (column: string) =>
  sql.raw(`case ${column} when 'acknowledged' then 1 when 'resolved' then 2 else 0 end`);
/** Whether the arriving revision's state is further along than the stored one. */
const FORWARD = sql`${rank('excluded.status')} > ${rank('federation_alerts.status')}`;

export class FederationRepository implements FederationStore {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: (tx: FederationStore) => Promise<T>): Promise<T> {
    return inTransaction(this.db as Kysely<Database>, (tx) => fn(new FederationRepository(tx)));
  }

  async addChild(nodeId: string, unitId: string, at: Date): Promise<void> {
    await this.db
      .insertInto('federation_children')
      .values({ node_id: nodeId, unit_id: unitId, added_at: at, last_heard_at: null })
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ unit_id: unitId }))
      .execute();
  }

  async children(): Promise<ChildNode[]> {
    const rows = await this.db.selectFrom('federation_children').selectAll().orderBy('node_id').execute();
    return rows.map((r) => ({
      nodeId: r.node_id,
      unitId: r.unit_id,
      addedAt: r.added_at,
      lastHeardAt: r.last_heard_at,
    }));
  }

  async touchChild(nodeId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('federation_children')
      .set({ last_heard_at: at })
      .where('node_id', '=', nodeId)
      .execute();
  }

  async upsertPartials(rows: PartialRow[], at: Date): Promise<number> {
    if (rows.length === 0) return 0;
    // One statement per batch; the WHERE on the conflict keeps the newest revision, so a replay is a no-op.
    const result = await this.db
      .insertInto('federation_partials')
      .values(
        rows.map((r) => ({
          child_node: r.childNode,
          code: r.code,
          bucket_start: r.bucket,
          bucket_seconds: r.bucketSeconds,
          rev: r.rev,
          aggregation: r.p.aggregation,
          sum: r.p.sum,
          n: r.p.n,
          units: r.p.units,
          sum_means: r.p.sumMeans,
          weight_sum: r.p.weightSum,
          weighted_means: r.p.weightedMeans,
          received_at: at,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['child_node', 'code', 'bucket_start'])
          .doUpdateSet((eb) => ({
            rev: eb.ref('excluded.rev'),
            bucket_seconds: eb.ref('excluded.bucket_seconds'),
            aggregation: eb.ref('excluded.aggregation'),
            sum: eb.ref('excluded.sum'),
            n: eb.ref('excluded.n'),
            units: eb.ref('excluded.units'),
            sum_means: eb.ref('excluded.sum_means'),
            weight_sum: eb.ref('excluded.weight_sum'),
            weighted_means: eb.ref('excluded.weighted_means'),
            received_at: eb.ref('excluded.received_at'),
          }))
          .where('federation_partials.rev', '<', (eb) => eb.ref('excluded.rev')),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  async partials(options: {
    from: Date;
    to?: Date;
    code?: string;
    underPath?: string;
  }): Promise<PartialRow[]> {
    let q = this.db
      .selectFrom('federation_partials as p')
      .innerJoin('federation_children as c', 'c.node_id', 'p.child_node')
      .innerJoin('units as u', 'u.id', 'c.unit_id')
      .selectAll('p')
      .where('p.bucket_start', '>=', options.from);
    if (options.to) q = q.where('p.bucket_start', '<=', options.to);
    if (options.code !== undefined) q = q.where('p.code', '=', options.code);
    if (options.underPath !== undefined) q = q.where('u.path', 'like', `${options.underPath}%`);
    const rows = await q.orderBy('p.bucket_start').orderBy('p.child_node').execute();
    return rows.map((r) => ({
      childNode: r.child_node,
      code: r.code,
      bucket: r.bucket_start,
      bucketSeconds: r.bucket_seconds,
      rev: r.rev,
      p: {
        aggregation: r.aggregation as Aggregation,
        sum: r.sum,
        n: r.n,
        units: r.units,
        sumMeans: r.sum_means,
        weightSum: r.weight_sum,
        weightedMeans: r.weighted_means,
      },
    }));
  }

  async setChildUnits(childNode: string, codes: string[]): Promise<void> {
    await this.transaction(async (tx) => {
      const db = (tx as FederationRepository).db;
      await db.deleteFrom('federation_child_units').where('child_node', '=', childNode).execute();
      if (codes.length > 0)
        await db
          .insertInto('federation_child_units')
          .values([...new Set(codes)].map((c) => ({ child_node: childNode, unit_code: c })))
          .execute();
    });
  }

  async childUnitCodes(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('federation_child_units').selectAll().execute();
    return new Map(rows.map((r) => [r.unit_code, r.child_node]));
  }

  async upsertAlert(a: RemoteAlert): Promise<boolean> {
    const r = await this.db
      .insertInto('federation_alerts')
      .values({
        origin_alert_id: a.originAlertId,
        child_node: a.childNode,
        origin_node: a.originNode,
        unit_id: a.unitId,
        status: a.status,
        severity: a.severity,
        message: storableText(a.message),
        origin_unit_code: a.originUnitCode,
        opened_at: a.openedAt,
        kind: a.kind,
        shortfall: a.shortfall === null ? null : JSON.stringify(a.shortfall),
        rev: a.rev,
        received_at: a.receivedAt,
        forward_due_at: a.forwardDueAt,
        forwarded_at: null,
        status_by: a.statusBy,
        status_at: a.statusAt,
      })
      .onConflict((oc) =>
        oc
          .column('origin_alert_id')
          .doUpdateSet((eb) => ({
            // mergeRemoteAlert (alert-status.ts): the state, and who moved it there, only forward.
            status: sql<string>`case when ${FORWARD} then excluded.status else federation_alerts.status end`,
            status_by: sql<string>`case when ${FORWARD} then excluded.status_by else federation_alerts.status_by end`,
            status_at: sql<Date>`case when ${FORWARD} then excluded.status_at else federation_alerts.status_at end`,
            severity: eb.ref('excluded.severity'),
            message: eb.ref('excluded.message'),
            kind: eb.ref('excluded.kind'),
            shortfall: eb.ref('excluded.shortfall'),
            rev: eb.ref('excluded.rev'),
          }))
          .where('federation_alerts.rev', '<', (eb) => eb.ref('excluded.rev')),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async alerts(options: { underPath?: string; limit: number }): Promise<RemoteAlert[]> {
    let q = this.db
      .selectFrom('federation_alerts as a')
      .innerJoin('units as u', 'u.id', 'a.unit_id')
      .selectAll('a');
    if (options.underPath !== undefined) q = q.where('u.path', 'like', `${options.underPath}%`);
    const rows = await q.orderBy('a.received_at', 'desc').limit(options.limit).execute();
    return rows.map(toAlert);
  }

  async remoteAlert(originAlertId: string): Promise<RemoteAlert | null> {
    const r = await this.db
      .selectFrom('federation_alerts')
      .selectAll()
      .where('origin_alert_id', '=', originAlertId)
      .executeTakeFirst();
    return r ? toAlert(r) : null;
  }

  async acknowledgeRemoteAlert(originAlertId: string, by: string, at: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('federation_alerts')
      .set({ status: 'acknowledged', status_by: by, status_at: at, forward_due_at: null })
      .where('origin_alert_id', '=', originAlertId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async dueAlerts(now: Date): Promise<RemoteAlert[]> {
    const rows = await this.db
      .selectFrom('federation_alerts')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([
            eb('status', '=', 'open'),
            eb('forwarded_at', 'is', null),
            eb('forward_due_at', '<=', now),
          ]),
          // Passed on already: each later revision (a new state, newer facts) climbs after it.
          eb.and([eb('forwarded_rev', 'is not', null), eb('rev', '>', eb.ref('forwarded_rev'))]),
        ]),
      )
      .execute();
    return rows.map(toAlert);
  }

  async queuedAlertStates(keys: { alertId: string; status: string }[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('federation_alert_states')
      .select(['alert_id', 'status'])
      .where(
        'alert_id',
        'in',
        keys.map((k) => k.alertId),
      )
      .execute();
    return new Set(rows.map((r) => `${r.alert_id} ${r.status}`));
  }

  async markAlertStateQueued(alertId: string, status: string, at: Date): Promise<void> {
    await this.db
      .insertInto('federation_alert_states')
      .values({ alert_id: alertId, status, queued_at: at })
      .onConflict((oc) => oc.columns(['alert_id', 'status']).doNothing())
      .execute();
  }

  async sentAlertFacts(alertIds: string[]): Promise<Map<string, { facts: string; sentAt: Date }>> {
    if (alertIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('federation_alert_facts')
      .select(['alert_id', 'facts', 'sent_at'])
      .where('alert_id', 'in', alertIds)
      .execute();
    return new Map(rows.map((r) => [r.alert_id, { facts: r.facts, sentAt: r.sent_at }]));
  }

  async markAlertFactsSent(alertId: string, facts: string, at: Date): Promise<void> {
    await this.db
      .insertInto('federation_alert_facts')
      .values({ alert_id: alertId, facts, sent_at: at })
      .onConflict((oc) => oc.column('alert_id').doUpdateSet({ facts, sent_at: at }))
      .execute();
  }

  async claimAlertFacts(alertId: string, facts: string, at: Date, notAfter: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('federation_alert_facts')
      .values({ alert_id: alertId, facts, sent_at: at })
      .onConflict((oc) =>
        oc
          .column('alert_id')
          .doUpdateSet({ facts, sent_at: at })
          // Evaluated on the newest row version, after any concurrent claim of it committed.
          .where('federation_alert_facts.facts', '<>', facts)
          .where('federation_alert_facts.sent_at', '<=', notAfter),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async markAlertForwarded(id: string, at: Date, rev: number): Promise<void> {
    await this.db
      .updateTable('federation_alerts')
      .set({ forwarded_at: at, forwarded_rev: rev })
      .where('origin_alert_id', '=', id)
      .where((eb) => eb.or([eb('forwarded_rev', 'is', null), eb('forwarded_rev', '<', rev)]))
      .execute();
  }

  async replaceTargets(planId: string, rev: number, targets: StoredTarget[]): Promise<boolean> {
    return this.transaction(async (tx) => {
      const db = (tx as FederationRepository).db;
      const stored = await db
        .selectFrom('federation_targets')
        .select(sql<number>`max(rev)`.as('rev'))
        .where('plan_id', '=', planId)
        .executeTakeFirst();
      if (stored?.rev != null && stored.rev >= rev) return false;
      await db.deleteFrom('federation_targets').where('plan_id', '=', planId).execute();
      if (targets.length > 0)
        await db
          .insertInto('federation_targets')
          .values(
            targets.map((t) => ({
              plan_id: planId,
              unit_code: t.unit,
              technology: t.technology,
              product: t.product,
              period: t.period,
              quantity: t.quantity,
              labour: t.labour,
              rev,
              from_node: t.fromNode,
              received_at: t.receivedAt,
              product_unit: t.productUnit,
              plan_name: t.planName,
            })),
          )
          .execute();
      return true;
    });
  }

  async targetsOf(codes: string[]): Promise<StoredTarget[]> {
    if (codes.length === 0) return [];
    const rows = await this.db
      .selectFrom('federation_targets')
      .selectAll()
      .where('unit_code', 'in', codes)
      .orderBy('plan_id')
      .orderBy('unit_code')
      .orderBy('technology')
      .orderBy('period')
      .execute();
    return rows.map((r) => ({
      planId: r.plan_id,
      unit: r.unit_code,
      technology: r.technology,
      product: r.product,
      period: r.period,
      quantity: r.quantity,
      labour: r.labour,
      rev: r.rev,
      fromNode: r.from_node,
      receivedAt: r.received_at,
      productUnit: r.product_unit,
      planName: r.plan_name,
    }));
  }

  async putRound(r: ReceivedRound): Promise<boolean> {
    const row = {
      rounds_id: r.roundsId,
      round: r.round,
      name: r.name,
      deadline: r.deadline,
      prices: JSON.stringify(r.prices),
      units: JSON.stringify(r.units),
      rev: r.rev,
      from_node: r.fromNode,
      received_at: r.receivedAt,
    };
    const done = await this.db
      .insertInto('federation_rounds')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('rounds_id')
          .doUpdateSet({
            round: (eb) => eb.ref('excluded.round'),
            name: (eb) => eb.ref('excluded.name'),
            deadline: (eb) => eb.ref('excluded.deadline'),
            prices: (eb) => eb.ref('excluded.prices'),
            units: (eb) => eb.ref('excluded.units'),
            rev: (eb) => eb.ref('excluded.rev'),
            from_node: (eb) => eb.ref('excluded.from_node'),
            received_at: (eb) => eb.ref('excluded.received_at'),
          })
          // A replayed older round changes nothing.
          .where('federation_rounds.rev', '<', r.rev),
      )
      .executeTakeFirst();
    return Number(done.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async round(roundsId: string): Promise<ReceivedRound | null> {
    const r = await this.db
      .selectFrom('federation_rounds')
      .selectAll()
      .where('rounds_id', '=', roundsId)
      .executeTakeFirst();
    return r ? roundOf(r) : null;
  }

  async rounds(): Promise<ReceivedRound[]> {
    const rows = await this.db
      .selectFrom('federation_rounds')
      .selectAll()
      .orderBy('received_at', 'desc')
      .execute();
    return rows.map(roundOf);
  }

  async recordAck(a: TargetAck): Promise<void> {
    await this.db
      .insertInto('federation_target_acks')
      .values({
        plan_id: a.planId,
        child_node: a.childNode,
        rev: a.rev,
        stored: a.stored,
        quarantined: a.quarantined,
        acked_at: a.ackedAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['plan_id', 'child_node'])
          .doUpdateSet((eb) => ({
            rev: eb.ref('excluded.rev'),
            stored: eb.ref('excluded.stored'),
            quarantined: eb.ref('excluded.quarantined'),
            acked_at: eb.ref('excluded.acked_at'),
          }))
          .where('federation_target_acks.rev', '<=', (eb) => eb.ref('excluded.rev')),
      )
      .execute();
  }

  async acks(planId?: string): Promise<TargetAck[]> {
    let q = this.db.selectFrom('federation_target_acks').selectAll();
    if (planId !== undefined) q = q.where('plan_id', '=', planId);
    const rows = await q.orderBy('plan_id').orderBy('child_node').execute();
    return rows.map((r) => ({
      planId: r.plan_id,
      childNode: r.child_node,
      rev: r.rev,
      stored: r.stored,
      quarantined: r.quarantined,
      ackedAt: r.acked_at,
    }));
  }

  async enqueue(rows: { subject: string; msgId: string; body: string }[], at: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('federation_outbox')
      .values(rows.map((r) => ({ subject: r.subject, msg_id: r.msgId, body: r.body, created_at: at })))
      .onConflict((oc) => oc.column('msg_id').doNothing())
      .execute();
  }

  async unsent(limit: number): Promise<OutboxRow[]> {
    const rows = await this.db
      .selectFrom('federation_outbox')
      .select(['id', 'subject', 'msg_id', 'body'])
      .where('sent_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, subject: r.subject, msgId: r.msg_id, body: r.body }));
  }

  async markSent(ids: number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('federation_outbox').set({ sent_at: at }).where('id', 'in', ids).execute();
    // Sent messages live on in the stream; the outbox keeps only what NATS has not confirmed yet.
    await this.db.deleteFrom('federation_outbox').where('id', 'in', ids).execute();
  }

  async pendingCount(): Promise<number> {
    const r = await this.db
      .selectFrom('federation_outbox')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    return r?.n ?? 0;
  }

  async quarantine(e: Omit<FederationQuarantineEntry, 'id'>): Promise<void> {
    await this.db
      .insertInto('federation_quarantine')
      .values({
        at: e.at,
        subject: storableText(e.subject),
        from_node: e.fromNode === null ? null : storableText(e.fromNode),
        reason: e.reason,
        message: storableText(e.message),
        raw: storableText(e.raw.slice(0, 64 * 1024)),
      })
      .execute();
  }

  async quarantined(
    limit: number,
    reason?: FederationQuarantineReason,
  ): Promise<FederationQuarantineEntry[]> {
    let q = this.db.selectFrom('federation_quarantine').selectAll();
    if (reason !== undefined) q = q.where('reason', '=', reason);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      subject: r.subject,
      fromNode: r.from_node,
      reason: r.reason as FederationQuarantineReason,
      message: r.message,
      raw: r.raw,
    }));
  }
}

function toAlert(r: {
  origin_alert_id: string;
  child_node: string;
  origin_node: string;
  unit_id: string;
  status: string;
  severity: string;
  message: string;
  origin_unit_code: string | null;
  opened_at: Date;
  kind: string | null;
  shortfall: Record<string, unknown> | null;
  rev: number;
  received_at: Date;
  forward_due_at: Date | null;
  forwarded_at: Date | null;
  forwarded_rev: number | null;
  status_by: string;
  status_at: Date;
}): RemoteAlert {
  return {
    originAlertId: r.origin_alert_id,
    childNode: r.child_node,
    originNode: r.origin_node,
    unitId: r.unit_id,
    status: r.status,
    severity: r.severity,
    message: r.message,
    originUnitCode: r.origin_unit_code,
    openedAt: r.opened_at,
    kind: r.kind,
    shortfall: r.shortfall === null ? null : (r.shortfall as unknown as ShortfallFacts),
    rev: r.rev,
    receivedAt: r.received_at,
    forwardDueAt: r.forward_due_at,
    forwardedAt: r.forwarded_at,
    forwardedRev: r.forwarded_rev,
    statusBy: r.status_by,
    statusAt: r.status_at,
  };
}

function roundOf(r: {
  rounds_id: string;
  round: number;
  name: string;
  deadline: Date;
  prices: { kind: string; code: string; price: number }[];
  units: string[];
  rev: number;
  from_node: string;
  received_at: Date;
}): ReceivedRound {
  return {
    roundsId: r.rounds_id,
    round: r.round,
    name: r.name,
    deadline: r.deadline,
    prices: r.prices,
    units: r.units,
    rev: r.rev,
    fromNode: r.from_node,
    receivedAt: r.received_at,
  };
}
