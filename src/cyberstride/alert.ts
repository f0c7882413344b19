// Alerts and the algedonic escalation: the lifecycle, what subscribers see, and the pure deadline rules.
import { z } from 'zod';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** A detector's signal on the readings, or an actual fallen below the plan in force (plan-shortfall.ts). */
export const ALERT_KINDS = ['statistical', 'plan-shortfall'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_EVENT_KINDS = ['opened', 'escalated', 'acknowledged', 'resolved'] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

/** Fifteen minutes per level when no deadline is configured for a depth. */
export const DEFAULT_DEADLINE_SECONDS = 900;

export const alertSchema = z.object({
  id: z.string(),
  unitId: z.string().describe('the unit that owns the series'),
  unitPath: z.string(),
  unitName: z.string().optional().describe('the name of the unit that owns the series'),
  indicatorId: z.string(),
  kind: z
    .enum(ALERT_KINDS)
    .describe(
      '"statistical": a detector saw the readings change; "plan-shortfall": the actual fell below the plan in force by more than the unit tolerates (evidence names the plan, target, actual and fulfilment)',
    ),
  status: z.enum(ALERT_STATUSES),
  level: z.object({
    unitId: z.string().describe('the unit the alert has climbed to (the owner until it escalates)'),
    path: z.string(),
    depth: z.number().int(),
    name: z.string().optional().describe('the name of that unit'),
  }),
  severity: z.string(),
  rule: z.string().describe('the detector rule that fired, e.g. "level-change" or "western-electric-1"'),
  message: z.string().describe("what happened, in the operator's words (the indicator's name and measure)"),
  statistics: z
    .string()
    .nullable()
    .describe("the detector's statistics behind the message, for whoever wants them"),
  evidence: z.record(z.string(), z.unknown()).describe('probabilities, forecast against actual, the reading'),
  signalCount: z.number().int().describe('signals merged into this alert while it stayed unresolved'),
  openedAt: z.date(),
  lastSignalAt: z.date(),
  escalateDueAt: z.date().nullable().describe('when it climbs next if nobody acknowledges it'),
  acknowledgedAt: z.date().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.date().nullable(),
  resolvedBy: z.string().nullable(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertEventSchema = z.object({
  at: z.date(),
  kind: z.enum(ALERT_EVENT_KINDS),
  actor: z.string().describe('"system:detector", "system:escalation", "person:p_…"'),
  level: z.object({ unitId: z.string(), depth: z.number().int() }),
  detail: z.record(z.string(), z.unknown()),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;

/** What subscribers (SSE, NATS) receive when an alert changes. */
export interface AlertNotice {
  type: 'alert';
  change: AlertEventKind | 'updated';
  alert: Alert;
}

export interface Deadlines {
  defaultSeconds: number;
  byDepth: Record<string, number>;
}

export function deadlineSeconds(d: Deadlines, depth: number): number {
  return d.byDepth[String(depth)] ?? d.defaultSeconds;
}

/** The unit ids from the root down to the unit, from its materialised path. */
export function ancestorsOf(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export interface EscalationStep {
  toDepth: number;
  toUnitId: string;
  at: Date;
  nextDue: Date | null;
}

/**
 * The climbs an open alert owes by `now`: from its level to the parent each time a deadline passes, timed
 * from the deadline itself (not from now), so a server that was down catches up exactly. At the root it stops.
 */
export function escalationSteps(
  ownerPath: string,
  depth: number,
  due: Date,
  now: Date,
  deadlines: Deadlines,
): EscalationStep[] {
  const ids = ancestorsOf(ownerPath);
  const steps: EscalationStep[] = [];
  let d = depth;
  let at = due;
  while (d > 0 && at.getTime() <= now.getTime()) {
    d -= 1;
    const nextDue = d === 0 ? null : new Date(at.getTime() + deadlineSeconds(deadlines, d) * 1000);
    steps.push({ toDepth: d, toUnitId: ids[d] as string, at, nextDue });
    if (nextDue === null) break;
    at = nextDue;
  }
  return steps;
}
