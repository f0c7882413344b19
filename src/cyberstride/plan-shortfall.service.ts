// Plan-shortfall alerts: sweeps the outbox of checks (queued in the transaction of the readings or the plan
// adoption that calls for them), judges each indicator's newest actual against the plan in force, and opens,
// updates or resolves its one shortfall alert, which then lives the life of any alert: acknowledgement, the
// climb to the parent when unacknowledged, notices, the federation.
import type { Clock } from '../core/clock';
import { DomainError } from '../core/errors';
import { newId } from '../core/ids';
import { planPeriodOf } from '../planning/plan-period';
import { PLAN_PERIOD, compareTargetToIndicator } from '../planning/target-comparison';
import { ancestorsOf, deadlineSeconds, type AlertNotice } from './alert';
import type { DeadlineBook } from './deadline-book';
import type { MonitorRepository } from './monitor.repository';
import type { NotificationBus } from './notifications';
import {
  DEFAULT_SHORTFALL_TOLERANCE,
  DEFAULT_SHORTFALL_WINDOW,
  SHORTFALL_RULE,
  decide,
  rolledUpActual,
  settingFault,
  shortfallSentence,
  shortfallVerdict,
  type ShortfallSetting,
  type Verdict,
} from './plan-shortfall';
import type {
  PlanShortfallRepository,
  QueuedCheck,
  SettingRow,
  ShortfallSubject,
  ShortfallTx,
} from './plan-shortfall.repository';

/** The plan in force on a unit, as the planning capability reports it. */
export interface PlanInForce {
  planId: string;
  planName: string;
  /** The unit it was adopted on; null for targets received from the parent node. */
  adoptedOn: { id: string; name: string } | null;
  /** The parent node the targets came from (federation.targets), when the plan was not adopted here. */
  receivedFrom?: string;
  /** When period 1 begins (the adoption, or the targets' arrival): the plan's period calendar. */
  startsAt: Date;
}

/** A plan's unit targets, the units its products are counted in, and where its targets came from. */
export interface PlanTerms {
  targets: { unit: string; technology: string; product: string; period: number; quantity: number }[];
  productUnits: ReadonlyMap<string, string>;
  provenance: {
    product: string;
    period: number;
    budgetId: string;
    budgetName: string;
    voteId: string | null;
  }[];
}

export interface ShortfallPlans {
  inForce(unitId: string): Promise<PlanInForce | null>;
  terms(planId: string): Promise<PlanTerms>;
  /**
   * On a federation node with no plan adopted over the unit: the newest plan whose targets the parent node
   * sent for the unit's code, with those targets (as planning.unit-progress reads them).
   */
  received?(unitCode: string): Promise<{ plan: PlanInForce; terms: PlanTerms } | null>;
}

export interface SweepResult {
  checked: number;
  opened: number;
  updated: number;
  resolved: number;
  failed: { indicatorId: string; error: string }[];
}

export interface EffectiveSetting extends ShortfallSetting {
  /** Where it comes from: the indicator's own setting, a unit's, or the default. */
  source: { kind: 'indicator' | 'unit' | 'default'; unitId: string | null };
}

const BATCH = 100;
const ACTOR = 'system:plan-shortfall';

/** The indicator's own setting, else the nearest unit's on its path (its own unit first), else the default. */
export function effectiveSetting(
  rows: SettingRow[],
  indicatorId: string,
  pathIds: string[],
): EffectiveSetting {
  const own = rows.find((r) => r.indicatorId === indicatorId);
  if (own)
    return {
      tolerance: own.tolerance,
      window: own.window,
      source: { kind: 'indicator', unitId: own.unitId },
    };
  for (const unitId of [...pathIds].reverse()) {
    const r = rows.find((x) => x.indicatorId === '' && x.unitId === unitId);
    if (r) return { tolerance: r.tolerance, window: r.window, source: { kind: 'unit', unitId } };
  }
  return {
    tolerance: DEFAULT_SHORTFALL_TOLERANCE,
    window: DEFAULT_SHORTFALL_WINDOW,
    source: { kind: 'default', unitId: null },
  };
}

/**
 * The target per reading the plan sets for the indicator's own unit in the plan period `period` (the one the
 * reading falls in, by planPeriodOf), or why there is none.
 */
export function targetFor(
  subject: ShortfallSubject,
  terms: PlanTerms,
  period = 1,
): { target: number; basis: string; product: string } | { reason: string } {
  if (subject.unitCode === null) return { reason: 'the unit has no code, so no plan target can name it' };
  const all = terms.targets.filter((t) => t.unit === subject.unitCode);
  const mine = all.filter((t) => t.period === period);
  if (mine.length === 0 && all.length > 0)
    return {
      reason: `the plan sets unit '${subject.unitCode}' no target for period ${period} (its targets run to period ${Math.max(...all.map((t) => t.period))})`,
    };
  const byTech = subject.technologyCode ? mine.filter((t) => t.technology === subject.technologyCode) : [];
  const matched =
    byTech.length > 0
      ? byTech
      : subject.productCode
        ? mine.filter((t) => t.product === subject.productCode)
        : [];
  const first = matched[0];
  if (!first)
    return { reason: `the plan in force sets unit '${subject.unitCode}' no target for this output` };
  const quantity = matched.reduce((s, t) => s + t.quantity, 0);
  const productUnit = terms.productUnits.get(first.product);
  // Targets from an older parent node come without the unit its plan counts the product in.
  if (productUnit === undefined)
    return {
      reason: `the plan does not say which unit it counts '${first.product}' in, so its target cannot be put in the indicator's terms`,
    };
  const c = compareTargetToIndicator(quantity, productUnit, subject);
  return c.comparable ? { target: c.target, basis: c.basis, product: first.product } : { reason: c.reason };
}

export class PlanShortfallService {
  private running: Promise<SweepResult> | null = null;

  constructor(
    private readonly repo: PlanShortfallRepository,
    private readonly alerts: MonitorRepository,
    private readonly deadlines: DeadlineBook,
    private readonly bus: NotificationBus,
    private readonly plans: ShortfallPlans,
    private readonly clock: Clock,
  ) {}

  /** In the transaction that adopts a plan on the unit: every indicator below it is judged again. */
  queueSubtree(tx: ShortfallTx, unitId: string, reason: string): Promise<void> {
    return this.repo.queueSubtree(tx, unitId, this.clock.now(), reason);
  }

  /** The same on its own (targets arrived from the parent node, stored by the federation's own store). */
  queueSubtreeNow(unitId: string, reason: string): Promise<void> {
    return this.repo.transaction((tx) => this.repo.queueSubtree(tx, unitId, this.clock.now(), reason));
  }

  /** One sweep at a time per process: a second caller waits for the running one (and gets its result). */
  sweep(): Promise<SweepResult> {
    if (this.running) return this.running;
    this.running = this.sweepAll().finally(() => (this.running = null));
    return this.running;
  }

  private async sweepAll(): Promise<SweepResult> {
    const result: SweepResult = { checked: 0, opened: 0, updated: 0, resolved: 0, failed: [] };
    const terms = new Map<string, Promise<PlanTerms>>();
    const tried = new Set<string>();
    for (;;) {
      const checks = (await this.repo.queued(BATCH + tried.size)).filter((c) => !tried.has(c.indicatorId));
      if (checks.length === 0) break;
      for (const c of checks.slice(0, BATCH)) {
        tried.add(c.indicatorId);
        try {
          const notices = await this.check(c, terms);
          result.checked++;
          for (const n of notices) {
            if (n.change === 'opened') result.opened++;
            else if (n.change === 'updated') result.updated++;
            else if (n.change === 'resolved') result.resolved++;
            this.bus.publish(n);
          }
        } catch (e) {
          // The check stays queued with its reason; the next sweep tries it again, the others go on now.
          result.failed.push({
            indicatorId: c.indicatorId,
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
    }
    return result;
  }

  private async check(c: QueuedCheck, cache: Map<string, Promise<PlanTerms>>): Promise<AlertNotice[]> {
    const subject = await this.repo.subject(c.indicatorId);
    if (!subject) {
      await this.repo.transaction((tx) => this.repo.done(tx, c));
      return [];
    }
    const pathIds = ancestorsOf(subject.unitPath);
    const setting = effectiveSetting(await this.repo.settingsFor(subject.id, pathIds), subject.id, pathIds);
    let plan = await this.plans.inForce(subject.unitId);
    let received: PlanTerms | null = null;
    // No plan adopted here or above: the targets the parent node sent for the unit are its plan.
    if (!plan && subject.unitCode !== null && this.plans.received) {
      const r = await this.plans.received(subject.unitCode);
      if (r) ({ plan, terms: received } = r);
    }
    let verdict: Verdict = { state: 'no-target', reason: 'no plan is in force on the unit' };
    let found: ReturnType<typeof targetFor> | null = null;
    let provenance: PlanTerms['provenance'][number] | null = null;
    let period = 1;
    let rolled: { units: number } | null = null;
    if (plan) {
      let t = received ? Promise.resolve(received) : cache.get(plan.planId);
      if (!t) {
        t = this.plans.terms(plan.planId);
        cache.set(plan.planId, t);
      }
      const terms = await t;
      let readings = await this.repo.newestReadings(subject.id, setting.window);
      let judged = setting;
      // An additive indicator its unit does not report itself: the units below that report its code add up.
      if (readings.length === 0 && subject.aggregation === 'sum') {
        const r = rolledUpActual(await this.repo.sameCodeBelow(subject, setting.window), setting.window);
        if (r) {
          rolled = { units: r.units };
          readings = [{ at: r.at, value: r.value }];
          judged = { ...setting, window: 1 };
        }
      }
      period = readings[0] ? planPeriodOf(plan.startsAt, readings[0].at, PLAN_PERIOD.seconds) : 1;
      found = targetFor(subject, terms, period);
      verdict =
        'target' in found
          ? shortfallVerdict(found.target, readings, judged)
          : shortfallVerdict(null, readings, judged, found.reason);
      const product = found && 'product' in found ? found.product : null;
      provenance = terms.provenance.find((p) => p.product === product && p.period === period) ?? null;
    }
    const now = this.clock.now();
    return this.repo.transaction(async (tx) => {
      const episode = await this.repo.episode(tx, subject.id);
      const current = episode ? await this.alerts.alert(episode.alertId, tx) : null;
      const judged = current?.evidence.readingAt;
      const open =
        episode && current
          ? {
              planId: episode.planId,
              readingAt: new Date(typeof judged === 'string' ? judged : current.openedAt),
            }
          : null;
      // An episode whose alert was resolved by hand is over; so is one whose alert is missing.
      if (episode && (!current || current.status === 'resolved'))
        await this.repo.closeEpisode(tx, subject.id);
      const decision = decide(current?.status === 'resolved' ? null : open, plan?.planId ?? null, verdict);
      const notices: AlertNotice[] = [];
      const evidence = () =>
        verdict.state === 'short' && plan && found && 'target' in found
          ? {
              statistics: `${found.basis}; ${(setting.tolerance * 100).toFixed(1)} % tolerated below it (${setting.source.kind} setting)`,
              kind: 'plan-shortfall',
              planId: plan.planId,
              planName: plan.planName,
              adoptedOn: plan.adoptedOn,
              ...(plan.receivedFrom ? { receivedFrom: plan.receivedFrom } : {}),
              indicator: { id: subject.id, code: subject.code, name: subject.name, measure: subject.measure },
              target: verdict.target,
              actual: verdict.actual,
              fulfilment: verdict.fulfilment,
              tolerance: setting.tolerance,
              window: setting.window,
              readingAt: verdict.readingAt.toISOString(),
              period,
              ...(rolled ? { rolledUpUnits: rolled.units } : {}),
              basis: found.basis,
              budget: provenance
                ? { id: provenance.budgetId, name: provenance.budgetName, voteId: provenance.voteId }
                : null,
            }
          : {};
      const message = () =>
        verdict.state === 'short' && plan
          ? shortfallSentence({
              indicatorName: subject.name,
              measure: subject.measure,
              actual: verdict.actual,
              target: verdict.target,
              fulfilment: verdict.fulfilment,
              tolerance: setting.tolerance,
              window: setting.window,
              planName: plan.planName,
              period,
              ...(rolled ? { rolledUpUnits: rolled.units } : {}),
            })
          : '';
      const resolve = async (reason: string) => {
        if (!episode || !current) return;
        await this.alerts.setStatus(tx, episode.alertId, ['open', 'acknowledged'], {
          status: 'resolved',
          escalate_due_at: null,
          resolved_at: now,
          resolved_by: ACTOR,
        });
        await this.alerts.insertEvents(tx, [
          {
            alertId: episode.alertId,
            at: now,
            kind: 'resolved',
            actor: ACTOR,
            levelUnitId: current.level.unitId,
            levelDepth: current.level.depth,
            detail: {
              reason,
              ...(verdict.state === 'on-plan' ? { fulfilment: verdict.fulfilment } : {}),
              ...(verdict.state === 'no-target' ? { why: verdict.reason } : {}),
            },
          },
        ]);
        await this.repo.closeEpisode(tx, subject.id);
        const a = await this.alerts.alert(episode.alertId, tx);
        if (a) notices.push({ type: 'alert', change: 'resolved', alert: a });
      };
      const openNew = async () => {
        if (!plan) return;
        const depth = pathIds.length - 1;
        const deadlines = await this.deadlines.get(tx);
        const id = newId('al');
        const due = depth === 0 ? null : new Date(now.getTime() + deadlineSeconds(deadlines, depth) * 1000);
        await this.alerts.insertAlert(tx, {
          id,
          unitId: subject.unitId,
          indicatorId: subject.id,
          status: 'open',
          levelUnitId: subject.unitId,
          levelDepth: depth,
          severity: 'critical',
          rule: SHORTFALL_RULE,
          message: message(),
          evidence: evidence(),
          signalCount: 1,
          openedAt: now,
          lastSignalAt: now,
          escalateDueAt: due,
          acknowledgedAt: null,
          acknowledgedBy: null,
          resolvedAt: null,
          resolvedBy: null,
        });
        await this.alerts.insertEvents(tx, [
          {
            alertId: id,
            at: now,
            kind: 'opened',
            actor: ACTOR,
            levelUnitId: subject.unitId,
            levelDepth: depth,
            detail: { rule: SHORTFALL_RULE, planId: plan.planId, escalateDueAt: due?.toISOString() ?? null },
          },
        ]);
        await this.repo.openEpisode(tx, { indicatorId: subject.id, planId: plan.planId, alertId: id }, now);
        const a = await this.alerts.alert(id, tx);
        if (a) notices.push({ type: 'alert', change: 'opened', alert: a });
      };
      switch (decision.do) {
        case 'open':
          await openNew();
          break;
        case 'update':
          if (
            episode &&
            (await this.alerts.addSignals(tx, episode.alertId, {
              count: 1,
              at: now,
              message: message(),
              rule: SHORTFALL_RULE,
              evidence: evidence(),
            }))
          ) {
            const a = await this.alerts.alert(episode.alertId, tx);
            if (a) notices.push({ type: 'alert', change: 'updated', alert: a });
          }
          break;
        case 'resolve':
          await resolve(decision.reason);
          break;
        case 'replace':
          await resolve('plan-replaced');
          await openNew();
          break;
        case 'nothing':
          break;
      }
      await this.repo.done(tx, c);
      return notices;
    });
  }

  /** The tolerance that applies to an indicator, and where it comes from. */
  async settingFor(indicatorId: string): Promise<EffectiveSetting & { indicatorId: string }> {
    const subject = await this.repo.subject(indicatorId);
    if (!subject) throw new DomainError('not-found', `indicator "${indicatorId}" does not exist`);
    const pathIds = ancestorsOf(subject.unitPath);
    return {
      indicatorId,
      ...effectiveSetting(await this.repo.settingsFor(indicatorId, pathIds), indicatorId, pathIds),
    };
  }

  settingsOfUnit(unitId: string): Promise<SettingRow[]> {
    return this.repo.settingsOfUnit(unitId);
  }

  /**
   * Sets a unit's tolerance (for all its indicators and those below it) or one indicator's, and queues the
   * indicators it touches, so the new tolerance is applied at the next sweep rather than the next reading.
   */
  async setSetting(
    s: { unitId: string; indicatorId: string | null; tolerance: number; window: number },
    actor: string,
  ): Promise<SettingRow> {
    const fault = settingFault(s);
    if (fault)
      throw new DomainError('invalid', `${fault.field}: ${fault.message}`, {
        issues: [{ field: fault.field, message: fault.message }],
        fix: fault.message,
      });
    if (s.indicatorId !== null) {
      const subject = await this.repo.subject(s.indicatorId);
      if (!subject || subject.unitId !== s.unitId)
        throw new DomainError('invalid', `indicatorId: "${s.indicatorId}" is not an indicator of the unit`, {
          issues: [{ field: 'indicatorId', message: 'an indicator of the unit named by unitId' }],
          fix: 'name one of the unit’s own indicators, or leave indicatorId out to set the unit’s tolerance',
        });
    }
    const row: SettingRow = {
      unitId: s.unitId,
      indicatorId: s.indicatorId ?? '',
      tolerance: s.tolerance,
      window: s.window,
      setBy: actor,
      setAt: this.clock.now(),
    };
    await this.repo.transaction(async (tx) => {
      await this.repo.saveSetting(row, tx);
      if (s.indicatorId !== null) await this.repo.queue(tx, [s.indicatorId], row.setAt, 'tolerance set');
      else await this.repo.queueSubtree(tx, s.unitId, row.setAt, 'tolerance set');
    });
    return row;
  }
}
