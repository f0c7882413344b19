// The escalation timer's pass over things that climb on deadlines (public questions, rationalization
// proposals): in batches, each in a transaction, every item whose climb is due moves up as far as the clock
// says and its steps are recorded. One loop, so that every kind of item climbs by the same rules as alerts.
import { escalationSteps, type Deadlines, type EscalationStep } from './alert';

export interface DueItem {
  id: string;
  unitPath: string;
  levelDepth: number;
  escalateDueAt: Date | null;
}

export interface ClimbStore<T extends DueItem, Tx> {
  transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  due(tx: Tx, now: Date, limit: number): Promise<T[]>;
  update(
    tx: Tx,
    id: string,
    set: { escalate_due_at: Date | null; level_unit_id?: string; level_depth?: number },
  ): Promise<unknown>;
}

const BATCH = 200;

/** Climbs every due item; `record` writes the steps of one item (inside its transaction). */
export async function climbDue<T extends DueItem, Tx>(
  store: ClimbStore<T, Tx>,
  now: Date,
  deadlinesOf: (item: T) => Deadlines,
  record: (tx: Tx, item: T, climb: EscalationStep[]) => Promise<void>,
): Promise<{ escalated: number; steps: number }> {
  let escalated = 0;
  let steps = 0;
  for (;;) {
    const count = await store.transaction(async (tx) => {
      const due = await store.due(tx, now, BATCH);
      for (const item of due) {
        const climb = escalationSteps(
          item.unitPath,
          item.levelDepth,
          item.escalateDueAt as Date,
          now,
          deadlinesOf(item),
        );
        const last = climb[climb.length - 1];
        if (!last) {
          await store.update(tx, item.id, { escalate_due_at: null });
          continue;
        }
        await store.update(tx, item.id, {
          level_unit_id: last.toUnitId,
          level_depth: last.toDepth,
          escalate_due_at: last.nextDue,
        });
        await record(tx, item, climb);
        steps += climb.length;
        escalated++;
      }
      return due.length;
    });
    if (count < BATCH) break;
  }
  return { escalated, steps };
}
