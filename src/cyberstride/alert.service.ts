// The alert lifecycle (open → acknowledged → resolved) and the algedonic escalation up the holarchy.
import type { Clock } from '../core/clock';
import { DomainError, notFound } from '../core/errors';
import {
  escalationSteps,
  type Alert,
  type AlertEvent,
  type AlertNotice,
  type AlertStatus,
  type Deadlines,
} from './alert';
import type { DeadlineBook } from './deadline-book';
import type { MonitorRepository } from './monitor.repository';
import type { NotificationBus } from './notifications';

/** Alerts climbed per transaction by one escalation pass; the pass loops until none is due. */
const ESCALATION_BATCH = 200;

export class AlertService {
  constructor(
    private readonly repo: MonitorRepository,
    private readonly deadlines: DeadlineBook,
    private readonly bus: NotificationBus,
    private readonly clock: Clock,
  ) {}

  list(paths: string[] | 'everywhere', statuses: AlertStatus[], limit: number): Promise<Alert[]> {
    return this.repo.listAlerts(paths, statuses, limit);
  }

  async get(id: string): Promise<Alert & { timeline: AlertEvent[] }> {
    const alert = await this.repo.alert(id);
    if (!alert) throw notFound('alert', id);
    return { ...alert, timeline: await this.repo.events(id) };
  }

  atLevel(unitId: string, limit: number): Promise<Alert[]> {
    return this.repo.alertsAtLevel(unitId, limit);
  }

  unitOf(id: string): Promise<string | null> {
    return this.repo.alertUnit(id);
  }

  /**
   * Stops the climb: the alert stays at the level it reached, owned by whoever acknowledged it. The change is
   * accepted, so the series' detector restarts from the new regime; the alert closes itself once quiet.
   */
  async acknowledge(id: string, actor: string, note?: string): Promise<Alert> {
    return this.transition(id, actor, ['open'], 'acknowledged', note, (now) => ({
      status: 'acknowledged',
      escalate_due_at: null,
      acknowledged_at: now,
      acknowledged_by: actor,
    }));
  }

  async resolve(id: string, actor: string, note?: string): Promise<Alert> {
    return this.transition(id, actor, ['open', 'acknowledged'], 'resolved', note, (now) => ({
      status: 'resolved',
      escalate_due_at: null,
      resolved_at: now,
      resolved_by: actor,
    }));
  }

  private async transition(
    id: string,
    actor: string,
    from: AlertStatus[],
    kind: 'acknowledged' | 'resolved',
    note: string | undefined,
    patch: (now: Date) => Parameters<MonitorRepository['setStatus']>[3],
  ): Promise<Alert> {
    const now = this.clock.now();
    const alert = await this.repo.transaction(async (tx) => {
      const current = await this.repo.alert(id, tx);
      if (!current) throw notFound('alert', id);
      if (!(await this.repo.setStatus(tx, id, from, patch(now)))) {
        throw new DomainError('conflict', `alert "${id}" is ${current.status}; it cannot become ${kind}`, {
          fix: kind === 'acknowledged' ? 'only open alerts can be acknowledged' : 'it is already resolved',
        });
      }
      if (kind === 'resolved') await this.repo.clearOpenAlert(tx, id);
      // An acknowledged change is accepted: the series' detector takes the new regime as its baseline.
      if (kind === 'acknowledged') await this.repo.requestRebaseline(tx, id);
      await this.repo.insertEvents(tx, [
        {
          alertId: id,
          at: now,
          kind,
          actor,
          levelUnitId: current.level.unitId,
          levelDepth: current.level.depth,
          detail: note === undefined ? {} : { note },
        },
      ]);
      return (await this.repo.alert(id, tx)) as Alert;
    });
    this.bus.publish({ type: 'alert', change: kind, alert });
    return alert;
  }

  /**
   * Climbs every open alert whose deadline has passed by the clock's now: one level per deadline, to the
   * root at most. Due times are rows, so a restarted server picks up exactly where it stopped.
   */
  async escalate(): Promise<{ escalated: number; steps: number }> {
    const now = this.clock.now();
    const deadlines = await this.deadlines.get();
    let escalated = 0;
    let steps = 0;
    for (;;) {
      const notices: AlertNotice[] = [];
      const count = await this.repo.transaction(async (tx) => {
        const due = await this.repo.dueAlerts(tx, now, ESCALATION_BATCH);
        for (const a of due) {
          const climb = escalationSteps(a.unit_path, a.level_depth, a.escalate_due_at, now, deadlines);
          const last = climb[climb.length - 1];
          if (!last) {
            await this.repo.setStatus(tx, a.id, ['open'], { escalate_due_at: null });
            continue;
          }
          await this.repo.setStatus(tx, a.id, ['open'], {
            level_unit_id: last.toUnitId,
            level_depth: last.toDepth,
            escalate_due_at: last.nextDue,
          });
          await this.repo.insertEvents(
            tx,
            climb.map((s) => ({
              alertId: a.id,
              at: s.at,
              kind: 'escalated' as const,
              actor: 'system:escalation',
              levelUnitId: s.toUnitId,
              levelDepth: s.toDepth,
              detail: { nextDue: s.nextDue?.toISOString() ?? null, reachedRoot: s.toDepth === 0 },
            })),
          );
          steps += climb.length;
          escalated++;
          const alert = await this.repo.alert(a.id, tx);
          if (alert) notices.push({ type: 'alert', change: 'escalated', alert });
        }
        return due.length;
      });
      for (const n of notices) this.bus.publish(n);
      if (count < ESCALATION_BATCH) break;
    }
    return { escalated, steps };
  }

  getDeadlines(): Promise<Deadlines> {
    return this.deadlines.get();
  }

  setDeadlines(d: Deadlines): Promise<Deadlines> {
    return this.deadlines.set(d);
  }
}
