// Use cases of the federation: what a node sends up (partial aggregates, its unit codes, alerts that climbed to
// its top), what it does with what arrives (stores it at the newest revision, quarantines what it cannot apply),
// and how a plan's targets are routed down to the child node whose subtree holds each unit.
import type { AlertNotice } from '../cyberstride/alert';
import type { Aggregation } from '../cybernet/indicator';
import { DomainError } from '../core/errors';
import type { Clock } from '../core/clock';
import type {
  FederationStore,
  PartialRow,
  ReceivedRound,
  RemoteAlert,
  StoredTarget,
} from './federation-store';
import {
  SCHEMA_VERSION,
  parseFederationMessage,
  type FederationMessage,
  type FederationQuarantineReason,
  type AlertAckMessage,
  type ReportMessage,
  type RoundPricesMessage,
  type RoundProposalMessage,
  type ShortfallFacts,
  type TargetsMessage,
} from './messages';
import { factsKey, shortfallFactsOf } from './alert-facts';
import { childActor } from './alert-status';
import type { NodeSettings, SharedKind } from './node-settings';
import { mergePartials, partialOf, samePartial, type PartialAggregate } from '../cybernet/partial-aggregate';
import { downSubject, upSubject } from './subjects';

/** What the federation needs of the rest of the node (the holarchy and cybernet, or a simulation). */
export interface FederationDeps {
  unit(id: string): Promise<{ id: string; path: string; code: string | null }>;
  /** The unit of a code, or null (for a partner's shared units). */
  unitByCode?(code: string): Promise<{ id: string } | null>;
  /**
   * This node's own alerts that reached `unitId` (its top unit), with their origin unit's code: the report
   * pass queues any state of them not queued yet (see `sweepAlerts`).
   */
  topAlerts?(unitId: string): Promise<{ alert: TopAlert; unitCode: string | null }[]>;
  /** Acknowledges one of this node's own alerts (an acknowledgement from a node above). */
  acknowledgeAlert?(id: string, actor: string, note: string): Promise<void>;
  /**
   * Records a unit's proposal, sent up by a node below, in this node's own open planning round. Throws the
   * DomainError of the refusal: not-found for unknown rounds, invalid (a capacity exceeded, a technology not
   * the unit's) or conflict (that round closed).
   */
  proposeInRound?(
    input: {
      roundsId: string;
      round: number;
      unit: string;
      levels: { technology: string; quantity: number }[];
    },
    actor: string,
  ): Promise<void>;
  /**
   * Targets from the parent node were stored for the subtree under `unitId` (this node's top): what judges
   * actuals against them looks again. Called on every delivery, a repeated one too, so a process that died
   * before it ran catches up when the unacknowledged message comes again.
   */
  targetsReceived?(unitId: string): Promise<void>;
  /** Codes of the units of the subtree under `unitId` (itself included). */
  subtreeCodes(unitId: string): Promise<string[]>;
  /** Indicators of the subtree: their code, unit, aggregation and weight. */
  indicatorsUnder(
    path: string,
  ): Promise<{ unitId: string; code: string; aggregation: Aggregation; weight: number }[]>;
  /** Per-unit buckets of one code under `path` (cybernet's query). */
  buckets(
    path: string,
    code: string,
    bucketSeconds: number,
    from: Date,
    to: Date,
  ): Promise<{ bucket: Date; unit_id: string; sum: number; mean: number; n: number }[]>;
}

/** What goes up of one of this node's alerts. */
export interface TopAlert {
  id: string;
  status: 'open' | 'acknowledged' | 'resolved';
  severity: string;
  message: string;
  openedAt: Date;
  level: { unitId: string };
  /** "statistical" or "plan-shortfall"; a simulation's alerts may leave it out (a detector's, then). */
  kind?: string;
  evidence?: Record<string, unknown>;
}

export interface Received {
  applied: boolean;
  quarantined?: FederationQuarantineReason;
}

const REPORT_ITEMS_PER_MESSAGE = 1000;

/**
 * An alert from below landed here or changed (a newer state or facts from the child, an acknowledgement here or
 * above): the event stream tells those who may read the unit it landed on, so their list refreshes.
 */
export interface RemoteAlertNotice {
  change: 'received' | 'acknowledged';
  originAlertId: string;
  unitId: string;
  unitPath: string;
  status: string;
}
export type RemoteAlertListener = (notice: RemoteAlertNotice) => void;

/** The optional kind and facts of an alert message: left out when unknown, as an older node sends it. */
/** The outbox row of a message up: to the upstream's subject for its kind, sent under the upstream's name. */
function upRow(
  up: { from: string; subject: (kind: string) => string },
  kind: SharedKind,
  msgId: string,
  body: Record<string, unknown>,
) {
  return { subject: up.subject(kind), msgId, body: JSON.stringify({ ...body, from: up.from }) };
}

function upKind(kind: string | undefined, shortfall: ShortfallFacts | null) {
  return { ...(kind ? { kind } : {}), ...(shortfall ? { shortfall } : {}) };
}

export class FederationService {
  private settings: NodeSettings | null = null;
  private lastRev = 0;
  /** What this node last sent up for each code and bucket, so an unchanged bucket is not sent again. */
  private readonly sent = new Map<string, PartialAggregate>();
  private sentCodes = '';
  private readonly alertListeners = new Set<RemoteAlertListener>();

  constructor(
    private readonly store: FederationStore,
    private readonly deps: FederationDeps,
    private readonly clock: Clock,
  ) {}

  /** The outbox, for the sender of the NATS edge. */
  outbox(): Pick<FederationStore, 'unsent' | 'markSent'> {
    return this.store;
  }

  /** Listens to the alerts from below that land here or change; returns the function that unsubscribes. */
  subscribeRemoteAlerts(listener: RemoteAlertListener): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  /** Tells the listeners of an alert from below that landed or changed (after its transaction). */
  private async announce(originAlertId: string, change: RemoteAlertNotice['change']): Promise<void> {
    if (this.alertListeners.size === 0) return;
    const a = await this.store.remoteAlert(originAlertId);
    if (!a) return;
    const unit = await this.deps.unit(a.unitId);
    const notice = { change, originAlertId, unitId: a.unitId, unitPath: unit.path, status: a.status };
    for (const l of this.alertListeners) {
      try {
        l(notice);
      } catch {
        // A broken subscriber (a closed stream) must not stop the others or the delivery that announced it.
      }
    }
  }

  configure(settings: NodeSettings | null): void {
    this.settings = settings;
  }

  node(): NodeSettings | null {
    return this.settings;
  }

  private need(): NodeSettings {
    if (!this.settings)
      throw new DomainError('unavailable', 'this server is not a federation node', {
        fix: 'run `ogas node init --node <name> --unit <top unit> [--parent <node>]`, then `ogas serve`',
      });
    return this.settings;
  }

  /** A revision number that only grows on this node (microseconds of the clock, or one more). */
  private rev(): number {
    this.lastRev = Math.max(this.clock.now().getTime() * 1000, this.lastRev + 1);
    return this.lastRev;
  }

  private envelope(kind: FederationMessage['kind']) {
    const s = this.need();
    return { v: SCHEMA_VERSION, from: s.nodeId, sentAt: this.clock.now().toISOString(), kind };
  }

  /**
   * Where this node's messages up go: to its parent in its own federation, or, on a partner federation's
   * central node, through its link into the federation it joined, under the name it has there, and only the
   * kinds it shares. Null when nothing goes up.
   */
  private upstream(): {
    parent: string;
    from: string;
    subject: (kind: string) => string;
    shares: (kind: SharedKind) => boolean;
  } | null {
    const s = this.need();
    if (s.parent !== null)
      return {
        parent: s.parent,
        from: s.nodeId,
        subject: (kind) => upSubject(s.prefix, s.parent!, s.nodeId, kind),
        shares: () => true,
      };
    const link = s.parentLink;
    if (!link) return null;
    return {
      parent: link.parent,
      from: link.as,
      subject: (kind) => `${link.linkPrefix}.up.${kind}`,
      shares: (kind) => link.share.kinds.includes(kind),
    };
  }

  /** Queues a message up; false when nothing goes up or the kind is not shared (then nothing is queued). */
  private async enqueueUp(
    kind: SharedKind,
    msgId: string,
    body: { from: string } & Record<string, unknown>,
    store: Pick<FederationStore, 'enqueue'> = this.store,
  ): Promise<boolean> {
    const up = this.upstream();
    if (up === null || !up.shares(kind)) return false;
    await store.enqueue([upRow(up, kind, msgId, body)], this.clock.now());
    return true;
  }

  /**
   * The units whose subtrees are reported up: this node's top unit, or on a partner's central only the units
   * it shares (one inside another counts once, under the outer).
   */
  private async reportedUnits(): Promise<{ id: string; code: string | null; path: string }[]> {
    const s = this.need();
    const link = s.parentLink;
    if (s.parent !== null || !link) return [await this.deps.unit(s.unitId)];
    if (!this.deps.unitByCode) throw new DomainError('unavailable', 'this node cannot look units up by code');
    const top = await this.deps.unit(s.unitId);
    const units: { id: string; code: string | null; path: string }[] = [];
    for (const code of link.share.units) {
      const found = await this.deps.unitByCode(code);
      if (!found)
        throw new DomainError('invalid', `parentLink.share.units: no unit has the code "${code}"`, {
          fix: 'name units of this node by their codes, or remove the code',
        });
      const u = await this.deps.unit(found.id);
      // Only this node's own subtree can be shared.
      if (!u.path.startsWith(top.path))
        throw new DomainError(
          'invalid',
          `parentLink.share.units: "${code}" is not under this node's top unit`,
        );
      units.push(u);
    }
    return units.filter((u) => !units.some((o) => o !== u && u.path.startsWith(o.path) && o.path !== u.path));
  }

  async addChild(nodeId: string, unitId: string): Promise<void> {
    await this.deps.unit(unitId);
    await this.store.addChild(nodeId, unitId, this.clock.now());
  }

  /** Applies one message from the up or down stream; a message it cannot apply is quarantined, never lost. */
  async receive(subject: string, text: string, expectedSender?: string): Promise<Received> {
    const parsed = parseFederationMessage(text);
    const now = this.clock.now();
    const refuse = async (reason: FederationQuarantineReason, message: string, from: string | null) => {
      await this.store.quarantine({ at: now, subject, fromNode: from, reason, message, raw: text });
      return { applied: false, quarantined: reason };
    };
    if (!parsed.ok) return refuse(parsed.reason, parsed.message, parsed.from);
    const m = parsed.message;
    // The subject names the sender, and NATS permissions let a node publish only under its own name.
    if (expectedSender !== undefined && m.from !== expectedSender)
      return refuse('wrong-sender', `from: "${m.from}" sent on the subject of "${expectedSender}"`, m.from);
    if (m.kind === 'alert-ack') {
      const s = this.need();
      if (m.from !== (s.parent ?? s.parentLink?.parent))
        return refuse('wrong-sender', `from: "${m.from}" is not this node's parent`, m.from);
      return this.applyAlertAck(m, subject, text);
    }
    if (m.kind === 'round-prices') {
      const s = this.need();
      if (m.from !== s.parent)
        return refuse('wrong-sender', `from: "${m.from}" is not this node's parent`, m.from);
      return this.applyRoundPrices(m, subject);
    }
    if (m.kind === 'targets') {
      const s = this.need();
      if (m.from !== (s.parent ?? s.parentLink?.parent))
        return refuse('wrong-sender', `from: "${m.from}" is not this node's parent`, m.from);
      return this.applyTargets(m, subject, text);
    }
    const child = (await this.store.children()).find((c) => c.nodeId === m.from);
    if (!child)
      return refuse(
        'unknown-node',
        `from: "${m.from}" is not a child node here; add it with federation.child.add`,
        m.from,
      );
    await this.store.touchChild(child.nodeId, now);
    if (m.kind === 'report') return { applied: (await this.applyReport(child.nodeId, m)) >= 0 };
    if (m.kind === 'round-proposal') return this.applyRoundProposal(child.nodeId, m, subject, text);
    if (m.kind === 'units') {
      await this.store.setChildUnits(child.nodeId, m.codes);
      return { applied: true };
    }
    if (m.kind === 'ack') {
      await this.store.recordAck({
        planId: m.planId,
        childNode: child.nodeId,
        rev: m.rev,
        stored: m.stored,
        quarantined: m.quarantined,
        ackedAt: now,
      });
      return { applied: true };
    }
    const forward = this.upstream() === null ? null : this.need().alertForwardSeconds;
    const changed = await this.store.upsertAlert({
      originAlertId: m.alert.id,
      childNode: child.nodeId,
      originNode: m.alert.originNode,
      unitId: child.unitId,
      status: m.alert.status,
      severity: m.alert.severity,
      message: m.alert.message,
      originUnitCode: m.alert.unitCode,
      openedAt: new Date(m.alert.openedAt),
      // An older node's message says neither: its alert is a detector's, shown as plain text.
      kind: m.alert.kind ?? null,
      shortfall: m.alert.shortfall ?? null,
      rev: m.rev,
      receivedAt: now,
      forwardDueAt: forward === null ? null : new Date(now.getTime() + forward * 1000),
      forwardedAt: null,
      forwardedRev: null,
      statusBy: childActor(child.nodeId),
      statusAt: now,
    });
    // A redelivery or an older revision changes nothing, and tells nobody.
    if (changed) await this.announce(m.alert.id, 'received');
    return { applied: true };
  }

  /**
   * An acknowledgement from above: of this node's own alert, it acknowledges the alert (which stops its
   * climb, and the acknowledged state goes back up); of an alert that came from further below, it marks it
   * acknowledged here and passes it on to the child it came from.
   */
  private async applyAlertAck(m: AlertAckMessage, subject: string, text: string): Promise<Received> {
    const s = this.need();
    const note = `acknowledged at node ${m.from} by ${m.by}${m.note ? `: ${m.note}` : ''}`;
    const own = `${s.nodeId}:`;
    if (m.alertId.startsWith(own)) {
      if (!this.deps.acknowledgeAlert)
        throw new DomainError('unavailable', 'this node cannot acknowledge alerts');
      try {
        await this.deps.acknowledgeAlert(m.alertId.slice(own.length), `system:node:${m.from}`, note);
      } catch (e) {
        // Acknowledged or resolved here meanwhile: the acknowledgement from above changes nothing.
        if (!(e instanceof DomainError && e.kind === 'conflict')) {
          if (e instanceof DomainError && e.kind === 'not-found')
            return this.quarantineAlertAck(subject, text, m, `alertId: no alert ${m.alertId} on this node`);
          throw e;
        }
      }
      return { applied: true };
    }
    const below = await this.store.remoteAlert(m.alertId);
    if (!below)
      return this.quarantineAlertAck(subject, text, m, `alertId: no alert ${m.alertId} came from below`);
    const acknowledged = await this.store.transaction(async (tx) => {
      if (!(await tx.acknowledgeRemoteAlert(m.alertId, `system:node:${m.from}`, this.clock.now())))
        return false;
      await this.enqueueAlertAck(tx, below.childNode, m.alertId, m.by, m.note);
      return true;
    });
    if (acknowledged) await this.announce(m.alertId, 'acknowledged');
    return { applied: true };
  }

  private async quarantineAlertAck(subject: string, text: string, m: AlertAckMessage, message: string) {
    await this.store.quarantine({
      at: this.clock.now(),
      subject,
      fromNode: m.from,
      reason: 'unknown-alert',
      message,
      raw: text,
    });
    return { applied: false, quarantined: 'unknown-alert' as const };
  }

  private async enqueueAlertAck(
    store: Pick<FederationStore, 'enqueue'>,
    childNode: string,
    alertId: string,
    by: string,
    note: string | undefined,
  ) {
    const s = this.need();
    await store.enqueue(
      [
        {
          subject: downSubject(s.prefix, childNode, 'alert-ack'),
          msgId: `${s.nodeId}:alert-ack:${alertId}`,
          body: JSON.stringify({
            ...this.envelope('alert-ack'),
            alertId,
            by,
            ...(note === undefined ? {} : { note }),
          }),
        },
      ],
      this.clock.now(),
    );
  }

  /**
   * Acknowledges here an alert that climbed in from below: it stops climbing on, and the acknowledgement goes
   * down to the node it came from and on to its origin, where the alert itself is acknowledged.
   */
  async acknowledgeRemoteAlert(originAlertId: string, by: string, note?: string): Promise<RemoteAlert> {
    const a = await this.store.remoteAlert(originAlertId);
    if (!a)
      throw new DomainError('not-found', `alert "${originAlertId}" did not come from below to this node`, {
        fix: 'list them with federation.alerts',
      });
    const done = await this.store.transaction(async (tx) => {
      if (!(await tx.acknowledgeRemoteAlert(originAlertId, by, this.clock.now()))) return false;
      await this.enqueueAlertAck(tx, a.childNode, originAlertId, by, note);
      return true;
    });
    if (!done)
      throw new DomainError(
        'conflict',
        `alert "${originAlertId}" is ${a.status}; only open alerts can be acknowledged`,
        {
          fix: 'it is already acknowledged or resolved',
        },
      );
    await this.announce(originAlertId, 'acknowledged');
    return (await this.store.remoteAlert(originAlertId))!;
  }

  /**
   * Sends the open round of this node's planning rounds down to each child node whose subtree holds units that
   * take part, with those units; returns where it went. Units of no child node are answered here.
   */
  async publishRound(r: {
    roundsId: string;
    round: number;
    name: string;
    deadline: Date;
    prices: { kind: string; code: string; price: number }[];
    units: string[];
  }): Promise<{ node: string; units: string[] }[]> {
    const s = this.need();
    const below = await this.store.childUnitCodes();
    const perChild = new Map<string, string[]>();
    for (const u of r.units) {
      const child = below.get(u);
      if (child !== undefined) perChild.set(child, [...(perChild.get(child) ?? []), u]);
    }
    if (perChild.size === 0) return [];
    const rev = this.rev();
    await this.store.enqueue(
      [...perChild].map(([child, units]) => ({
        subject: downSubject(s.prefix, child, 'round-prices'),
        msgId: `${s.nodeId}:round-prices:${r.roundsId}:${r.round}:${child}`,
        body: JSON.stringify({
          ...this.envelope('round-prices'),
          roundsId: r.roundsId,
          round: r.round,
          name: r.name,
          deadline: r.deadline.toISOString(),
          rev,
          units,
          prices: r.prices,
        }),
      })),
      this.clock.now(),
    );
    return [...perChild].map(([node, units]) => ({ node, units }));
  }

  /** Stores a round received from the parent for the units of this node; units it does not serve are quarantined. */
  private async applyRoundPrices(m: RoundPricesMessage, subject: string): Promise<Received> {
    const s = this.need();
    const own = new Set(await this.deps.subtreeCodes(s.unitId));
    const units = m.units.filter((u) => own.has(u));
    const unknown = m.units.filter((u) => !own.has(u));
    const now = this.clock.now();
    if (unknown.length > 0)
      await this.store.quarantine({
        at: now,
        subject,
        fromNode: m.from,
        reason: 'unknown-unit',
        message: `round prices for unit codes no unit of this node has (units of a node further down cannot answer rounds yet): ${unknown.join(', ')}`,
        raw: JSON.stringify({ ...m, units: unknown }),
      });
    await this.store.putRound({
      roundsId: m.roundsId,
      round: m.round,
      name: m.name,
      deadline: new Date(m.deadline),
      prices: m.prices,
      units,
      rev: m.rev,
      fromNode: m.from,
      receivedAt: now,
    });
    return { applied: true };
  }

  /** A proposal from a node below, recorded in this node's round as if made here, or quarantined with why not. */
  private async applyRoundProposal(
    childNode: string,
    m: RoundProposalMessage,
    subject: string,
    text: string,
  ): Promise<Received> {
    const quarantine = async (reason: FederationQuarantineReason, message: string): Promise<Received> => {
      await this.store.quarantine({
        at: this.clock.now(),
        subject,
        fromNode: childNode,
        reason,
        message,
        raw: text,
      });
      return { applied: false, quarantined: reason };
    };
    if ((await this.store.childUnitCodes()).get(m.unit) !== childNode)
      return quarantine('unknown-unit', `unit: node "${childNode}" serves no unit "${m.unit}"`);
    if (!this.deps.proposeInRound) throw new DomainError('unavailable', 'this node runs no planning rounds');
    try {
      await this.deps.proposeInRound(
        { roundsId: m.roundsId, round: m.round, unit: m.unit, levels: m.levels },
        `system:node:${childNode}`,
      );
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.kind === 'not-found')
        return quarantine('unknown-round', `roundsId: no planning rounds "${m.roundsId}" on this node`);
      const issues = (e.issues ?? []).map((x) => `${x.field}: ${x.message}`).join('; ');
      return quarantine(
        'refused',
        `the proposal of ${m.unit} by ${m.by} for round ${m.round} was refused: ${e.message}${issues && !e.message.includes(issues) ? ` (${issues})` : ''}`,
      );
    }
    return { applied: true };
  }

  /**
   * A unit of this node answers a round received from the parent: the proposal goes up through the outbox and
   * is checked (capacities) and recorded where the round was opened; a refusal lands in that node's quarantine.
   */
  async proposeUp(
    input: { roundsId: string; unit: string; levels: { technology: string; quantity: number }[] },
    by: string,
  ): Promise<{ roundsId: string; round: number; unit: string; queued: true }> {
    const s = this.need();
    const r = await this.store.round(input.roundsId);
    if (s.parent === null || !r)
      throw new DomainError(
        'not-found',
        `roundsId: no planning round "${input.roundsId}" came from a parent node`,
        {
          fix: 'list the rounds received with federation.rounds',
        },
      );
    if (!r.units.includes(input.unit))
      throw new DomainError(
        'invalid',
        `unit: "${input.unit}" does not take part in round ${r.round} of "${r.name}"`,
        {
          issues: [{ field: 'unit', message: `one of: ${r.units.join(', ')}` }],
          fix: 'propose for a unit the round lists',
        },
      );
    const now = this.clock.now();
    if (now.getTime() > r.deadline.getTime())
      throw new DomainError(
        'conflict',
        `round ${r.round} closed for proposals at ${r.deadline.toISOString()}`,
        {
          fix: 'the unit keeps its last proposal; propose again when the next round arrives',
        },
      );
    const rev = this.rev();
    await this.store.enqueue(
      [
        {
          subject: upSubject(s.prefix, s.parent, s.nodeId, 'round-proposal'),
          msgId: `${s.nodeId}:round-proposal:${r.roundsId}:${r.round}:${input.unit}:${rev}`,
          body: JSON.stringify({
            ...this.envelope('round-proposal'),
            roundsId: r.roundsId,
            round: r.round,
            unit: input.unit,
            by,
            levels: input.levels,
          }),
        },
      ],
      now,
    );
    return { roundsId: r.roundsId, round: r.round, unit: input.unit, queued: true };
  }

  /** Rounds received from the parent node (the newest round of each series). */
  receivedRounds(): Promise<ReceivedRound[]> {
    return this.store.rounds();
  }

  /** The unit an alert from below landed on here (for the access check). */
  async remoteAlertUnit(originAlertId: string): Promise<string | null> {
    return (await this.store.remoteAlert(originAlertId))?.unitId ?? null;
  }

  private async applyReport(childNode: string, m: ReportMessage): Promise<number> {
    const rows: PartialRow[] = m.items.map((i) => ({
      childNode,
      code: i.code,
      bucket: new Date(i.bucket),
      bucketSeconds: m.bucketSeconds,
      rev: i.rev,
      p: i.p,
    }));
    return this.store.upsertPartials(rows, this.clock.now());
  }

  private async applyTargets(m: TargetsMessage, subject: string, text: string): Promise<Received> {
    const routed = await this.route(m.planId, m.rev, m.targets, m.from, m.planName ?? null);
    await this.deps.targetsReceived?.(this.need().unitId);
    if (routed.unknown.length > 0)
      await this.store.quarantine({
        at: this.clock.now(),
        subject,
        fromNode: m.from,
        reason: 'unknown-unit',
        message: `targets for unit codes no unit of this subtree has: ${[...new Set(routed.unknown.map((t) => t.unit))].join(', ')}`,
        raw: JSON.stringify({ ...m, targets: routed.unknown }),
      });
    await this.enqueueUp('ack', `${this.need().nodeId}:ack:${m.planId}:${m.rev}`, {
      ...this.envelope('ack'),
      planId: m.planId,
      rev: m.rev,
      stored: routed.stored,
      quarantined: routed.unknown.length,
    });
    void text;
    return { applied: true };
  }

  /**
   * Stores the targets of this node's own units, sends each child node the targets of the units it serves,
   * and returns those no unit below has.
   */
  private async route(
    planId: string,
    rev: number,
    targets: TargetsMessage['targets'],
    fromNode: string,
    planName: string | null,
  ): Promise<{ stored: number; forwarded: Record<string, number>; unknown: TargetsMessage['targets'] }> {
    const s = this.need();
    const own = new Set(await this.deps.subtreeCodes(s.unitId));
    const below = await this.store.childUnitCodes();
    const mine: StoredTarget[] = [];
    const perChild = new Map<string, TargetsMessage['targets']>();
    const unknown: TargetsMessage['targets'] = [];
    const now = this.clock.now();
    for (const t of targets) {
      const child = below.get(t.unit);
      if (own.has(t.unit))
        mine.push({
          ...t,
          productUnit: t.productUnit ?? null,
          planId,
          planName,
          rev,
          fromNode,
          receivedAt: now,
        });
      else if (child !== undefined) perChild.set(child, [...(perChild.get(child) ?? []), t]);
      else unknown.push(t);
    }
    await this.store.transaction(async (tx) => {
      await tx.replaceTargets(planId, rev, mine);
      // Every child hears of the plan, even one with no target in it: an empty list replaces older targets.
      const children = await tx.children();
      await tx.enqueue(
        children.map((c) => ({
          subject: downSubject(s.prefix, c.nodeId, 'targets'),
          msgId: `${s.nodeId}:targets:${planId}:${rev}:${c.nodeId}`,
          body: JSON.stringify({
            ...this.envelope('targets'),
            planId,
            ...(planName === null ? {} : { planName }),
            rev,
            targets: perChild.get(c.nodeId) ?? [],
          }),
        })),
        now,
      );
    });
    return {
      stored: mine.length,
      forwarded: Object.fromEntries([...perChild].map(([k, v]) => [k, v.length])),
      unknown,
    };
  }

  /** Sends a plan's unit targets down (the plan was approved here); returns where they went. */
  async publishPlan(planId: string, targets: TargetsMessage['targets'], planName: string | null = null) {
    const s = this.need();
    const rev = this.rev();
    const routed = await this.route(planId, rev, targets, s.nodeId, planName);
    return {
      planId,
      rev,
      storedHere: routed.stored,
      forwarded: Object.entries(routed.forwarded).map(([node, count]) => ({ node, targets: count })),
      unrouted: routed.unknown,
    };
  }

  /**
   * The targets this node received from its parent for the newest plan that has any for these unit codes
   * (the plan in force here when none was adopted on this node), or null.
   */
  async receivedPlanFor(codes: string[]): Promise<{
    planId: string;
    planName: string | null;
    fromNode: string;
    rev: number;
    receivedAt: Date;
    targets: StoredTarget[];
  } | null> {
    const all = await this.store.targetsOf(codes);
    if (all.length === 0) return null;
    const newest = all.reduce((a, b) =>
      b.receivedAt > a.receivedAt || (b.receivedAt.getTime() === a.receivedAt.getTime() && b.rev > a.rev)
        ? b
        : a,
    );
    return {
      planId: newest.planId,
      planName: newest.planName,
      fromNode: newest.fromNode,
      rev: newest.rev,
      receivedAt: newest.receivedAt,
      targets: all.filter((t) => t.planId === newest.planId),
    };
  }

  /** Targets received for a unit (by its code), newest plan revision per plan. */
  async targetsOfUnit(unitId: string): Promise<StoredTarget[]> {
    const unit = await this.deps.unit(unitId);
    return unit.code === null ? [] : this.store.targetsOf([unit.code]);
  }

  /**
   * Partial aggregates of the whole subtree of this node (its own readings and its children's partials), per
   * code and bucket. Used for the report up and for the aggregate of a unit above the children.
   */
  async subtreePartials(
    unitId: string,
    from: Date,
    to: Date,
    bucketSeconds: number,
    code?: string,
  ): Promise<Map<string, { code: string; bucket: Date; p: PartialAggregate }>> {
    const unit = await this.deps.unit(unitId);
    const out = new Map<string, { code: string; bucket: Date; p: PartialAggregate }>();
    const add = (c: string, bucket: Date, p: PartialAggregate) => {
      const b = new Date(Math.floor(bucket.getTime() / (bucketSeconds * 1000)) * bucketSeconds * 1000);
      const key = `${c}\u0000${b.getTime()}`;
      const had = out.get(key);
      out.set(key, { code: c, bucket: b, p: had ? mergePartials(had.p, p) : p });
    };
    const indicators = await this.deps.indicatorsUnder(unit.path);
    const byCode = new Map<string, typeof indicators>();
    for (const i of indicators)
      if (code === undefined || i.code === code) byCode.set(i.code, [...(byCode.get(i.code) ?? []), i]);
    for (const [c, list] of byCode) {
      const weights = new Map(list.map((i) => [i.unitId, i.weight]));
      const rows = await this.deps.buckets(unit.path, c, bucketSeconds, from, to);
      const perBucket = new Map<number, typeof rows>();
      for (const r of rows) {
        const k = new Date(r.bucket).getTime();
        perBucket.set(k, [...(perBucket.get(k) ?? []), r]);
      }
      for (const [k, rs] of perBucket)
        add(
          c,
          new Date(k),
          partialOf(
            rs.map((r) => ({ unitId: r.unit_id, sum: r.sum, mean: r.mean, n: r.n })),
            list[0]!.aggregation,
            (u) => weights.get(u) ?? 1,
          ),
        );
    }
    const remote = await this.store.partials({
      from,
      to,
      underPath: unit.path,
      ...(code === undefined ? {} : { code }),
    });
    for (const r of remote) add(r.code, r.bucket, r.p);
    return out;
  }

  /**
   * Queues the report up: every bucket of the look-back window whose partial changed since it was last sent,
   * and the unit codes of the subtree when they changed. Returns the number of items queued.
   */
  async queueReport(): Promise<number> {
    const s = this.need();
    const up = this.upstream();
    if (up === null) return 0;
    const now = this.clock.now();
    const from = new Date(now.getTime() - s.lookbackSeconds * 1000);
    const units = await this.reportedUnits();
    const shared = s.parent === null ? s.parentLink?.share.indicators : undefined;
    const partials = new Map<string, { code: string; bucket: Date; p: PartialAggregate }>();
    for (const u of units)
      for (const [key, v] of await this.subtreePartials(u.id, from, now, s.bucketSeconds)) {
        if (shared !== undefined && !shared.includes(v.code)) continue;
        const had = partials.get(key);
        partials.set(key, had ? { ...v, p: mergePartials(had.p, v.p) } : v);
      }
    const items: ReportMessage['items'] = [];
    const changed: [string, PartialAggregate][] = [];
    for (const [key, { code, bucket, p }] of partials) {
      const was = this.sent.get(key);
      if (was && samePartial(was, p)) continue;
      items.push({ code, bucket: bucket.toISOString(), rev: this.rev(), p });
      changed.push([key, p]);
    }
    for (let k = 0; k < items.length; k += REPORT_ITEMS_PER_MESSAGE) {
      const chunk = items.slice(k, k + REPORT_ITEMS_PER_MESSAGE);
      await this.enqueueUp('report', `${s.nodeId}:report:${chunk[0]!.rev}`, {
        ...this.envelope('report'),
        bucketSeconds: s.bucketSeconds,
        items: chunk,
      });
    }
    const codes = (await this.sharedCodes(units)).sort();
    const codesKey = codes.join('\n');
    if (codesKey !== this.sentCodes) {
      await this.enqueueUp('units', `${s.nodeId}:units:${this.rev()}`, { ...this.envelope('units'), codes });
      this.sentCodes = codesKey;
    }
    // Remembered only once queued: the outbox is in the database, so a crash after this loses nothing.
    for (const [key, p] of changed) this.sent.set(key, p);
    return items.length;
  }

  /** Unit codes of the reported subtrees (and of children's units under them): where targets may be routed. */
  private async sharedCodes(units: { id: string; path: string }[]): Promise<string[]> {
    const s = this.need();
    const below = [...(await this.store.childUnitCodes()).keys()];
    if (s.parent !== null) return [...new Set([...(await this.deps.subtreeCodes(s.unitId)), ...below])];
    // A partner's central shares its children's unit codes only where they hang under a shared unit.
    const children = await this.store.children();
    const sharedChildren = new Set<string>();
    for (const c of children) {
      const u = await this.deps.unit(c.unitId);
      if (units.some((o) => u.path.startsWith(o.path))) sharedChildren.add(c.nodeId);
    }
    const childCodes = [...(await this.store.childUnitCodes())]
      .filter(([, node]) => sharedChildren.has(node))
      .map(([code]) => code);
    const own = (await Promise.all(units.map((u) => this.deps.subtreeCodes(u.id)))).flat();
    return [...new Set([...own, ...childCodes])];
  }

  /** An alert of this node that reached its top unit goes on to the parent node. */
  async onAlert(notice: AlertNotice, unitCode: string | null): Promise<boolean> {
    return this.queueAlert(notice.alert, unitCode);
  }

  /**
   * Queues each state of this node's top-level alerts that was not queued yet: the notice of an alert is
   * handled after the alert's own transaction, so a process that died in between would otherwise lose it. It
   * also sends the facts of a plan-shortfall alert that changed since they were last sent, once the
   * alert-forward interval has passed (an update the notice held back as too soon). Run by the report pass;
   * returns how many messages it queued.
   */
  async sweepAlerts(): Promise<number> {
    const s = this.settings;
    if (!s || this.upstream() === null || !this.deps.topAlerts) return 0;
    const top = await this.deps.topAlerts(s.unitId);
    const queued = await this.store.queuedAlertStates(
      top.map((t) => ({ alertId: t.alert.id, status: t.alert.status })),
    );
    const sent = await this.store.sentAlertFacts(top.map((t) => t.alert.id));
    const now = this.clock.now();
    let n = 0;
    for (const t of top) {
      const due =
        !queued.has(`${t.alert.id} ${t.alert.status}`) ||
        this.factsUpdateDue(t.alert, sent.get(t.alert.id) ?? null, now) !== null;
      if (due && (await this.queueAlert(t.alert, t.unitCode))) n++;
    }
    return n;
  }

  /**
   * The facts of an unresolved plan-shortfall alert whose state was sent, when they changed since last sent and
   * the last send is at least the alert-forward interval ago (the node above hears of a later short reading, but
   * not of every one); null when no update is due.
   */
  private factsUpdateDue(
    alert: TopAlert,
    last: { facts: string; sentAt: Date } | null,
    now: Date,
  ): ShortfallFacts | null {
    const facts = shortfallFactsOf(alert.kind, alert.evidence);
    if (!facts || alert.status === 'resolved') return null;
    if (last === null) return facts;
    if (last.facts === factsKey(facts)) return null;
    return now.getTime() - last.sentAt.getTime() >= this.need().alertForwardSeconds * 1000 ? facts : null;
  }

  /**
   * Queues one state of an alert once: the outbox message and the record that it was queued, together. A state
   * already queued is sent again only as an update of its plan-shortfall facts, when one is due: the same alert
   * message at a newer revision (an older parent reads it as it always did, a newer state of the alert).
   */
  private async queueAlert(alert: TopAlert, unitCode: string | null): Promise<boolean> {
    const s = this.settings;
    // A partner that does not share alerts sends none up: decided before anything is claimed, so that below a
    // claim is always followed by its message in the same transaction (a claim with nothing queued would mark
    // the facts sent, and they would never go up once alerts are shared).
    const up = s ? this.upstream() : null;
    if (!s || up === null || !up.shares('alert') || alert.level.unitId !== s.unitId) return false;
    // A partner sends up only alerts of the units it shares.
    if (
      s.parent === null &&
      (unitCode === null || !(await this.sharedCodes(await this.reportedUnits())).includes(unitCode))
    )
      return false;
    const rev = this.rev();
    const now = this.clock.now();
    const facts = shortfallFactsOf(alert.kind, alert.evidence);
    return this.store.transaction(async (tx) => {
      const stateQueued = (await tx.queuedAlertStates([{ alertId: alert.id, status: alert.status }])).has(
        `${alert.id} ${alert.status}`,
      );
      if (stateQueued) {
        const due = this.factsUpdateDue(
          alert,
          (await tx.sentAlertFacts([alert.id])).get(alert.id) ?? null,
          now,
        );
        if (due === null) return false;
        // What was read above, a concurrent pass may have read too (a reading's notice and the report pass): the
        // update is claimed in this transaction, with its message, so only one of them sends it.
        const notAfter = new Date(now.getTime() - this.need().alertForwardSeconds * 1000);
        if (!(await tx.claimAlertFacts(alert.id, factsKey(due), now, notAfter))) return false;
      }
      await tx.enqueue(
        [
          upRow(
            up,
            'alert',
            // One message id per state: a state queued by the notice and again by the sweep is one message. An
            // update of the facts is a message of its own revision.
            `${s.nodeId}:alert:${alert.id}:${alert.status}${stateQueued ? `:${rev}` : ''}`,
            {
              ...this.envelope('alert'),
              rev,
              alert: {
                id: `${s.nodeId}:${alert.id}`,
                originNode: s.nodeId,
                unitCode,
                status: alert.status,
                severity: alert.severity,
                message: alert.message,
                openedAt: alert.openedAt.toISOString(),
                ...upKind(alert.kind, facts),
              },
            },
          ),
        ],
        now,
      );
      if (!stateQueued) await tx.markAlertStateQueued(alert.id, alert.status, now);
      if (facts && !stateQueued) await tx.markAlertFactsSent(alert.id, factsKey(facts), now);
      return true;
    });
  }

  /**
   * Alerts from below that nobody acknowledged here in time climb on to the parent node; so does every later
   * revision of one that climbed on (its acknowledgement or resolution at the origin, its newer facts), once
   * each: the message id names the revision, so a revision sent twice is one message.
   */
  async forwardDueAlerts(): Promise<number> {
    const s = this.settings;
    if (!s || this.upstream() === null) return 0;
    const due = await this.store.dueAlerts(this.clock.now());
    const shared = s.parent === null ? await this.reportedUnits() : null;
    for (const a of due) {
      // A partner's central sends up only alerts from under the units it shares; the others stay here
      // (marked as dealt with, so they are not looked at again).
      const unit = shared === null ? null : await this.deps.unit(a.unitId);
      if (unit === null || shared!.some((u) => unit.path.startsWith(u.path)))
        await this.enqueueUp('alert', `${s.nodeId}:alert:${a.originAlertId}:${a.rev}`, {
          ...this.envelope('alert'),
          rev: a.rev,
          alert: {
            id: a.originAlertId,
            originNode: a.originNode,
            unitCode: a.originUnitCode,
            status: a.status,
            severity: a.severity,
            message: a.message,
            openedAt: a.openedAt.toISOString(),
            ...upKind(a.kind ?? undefined, a.shortfall),
          },
        });
      await this.store.markAlertForwarded(a.originAlertId, this.clock.now(), a.rev);
    }
    return due.length;
  }

  /** The RemoteAggregates port of cybernet: children's partials under a unit, in buckets of the size asked. */
  async remoteAggregates(unitId: string, code: string, bucketSeconds: number, from: Date, to: Date) {
    const unit = await this.deps.unit(unitId);
    const rows = await this.store.partials({ from, to, code, underPath: unit.path });
    const out = new Map<number, PartialAggregate>();
    const size = bucketSeconds * 1000;
    for (const r of rows) {
      // A bucket asked for must hold whole reported buckets, or a reported one would be split by guess.
      if (bucketSeconds % r.bucketSeconds !== 0) continue;
      const t = Math.floor(r.bucket.getTime() / size) * size;
      const had = out.get(t);
      out.set(t, had ? mergePartials(had, r.p) : r.p);
    }
    return [...out].map(([t, p]) => ({ bucket: new Date(t), p }));
  }

  async alertsUnder(unitId: string, limit: number): Promise<RemoteAlert[]> {
    const unit = await this.deps.unit(unitId);
    return this.store.alerts({ underPath: unit.path, limit });
  }

  quarantined(limit: number, reason?: FederationQuarantineReason) {
    return this.store.quarantined(limit, reason);
  }

  async status() {
    return {
      node: this.settings,
      children: await this.store.children(),
      pendingOutbox: await this.store.pendingCount(),
      acks: await this.store.acks(),
    };
  }
}
