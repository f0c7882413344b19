// What of an alert's evidence travels up with it: a plan-shortfall alert's plan, target, actual and share of
// plan (so the node above shows it as a shortfall, not as plain text); a detector's statistics stay at home.
import { shortfallFacts, type ShortfallFacts } from './messages';

/** The facts of a plan-shortfall alert's evidence, or null for another kind or evidence lacking them. */
export function shortfallFactsOf(
  kind: string | undefined,
  evidence: Record<string, unknown> | undefined,
): ShortfallFacts | null {
  if (kind !== 'plan-shortfall' || !evidence) return null;
  const indicator = (evidence.indicator ?? {}) as { name?: unknown; measure?: unknown };
  const parsed = shortfallFacts.safeParse({
    planId: evidence.planId,
    planName: evidence.planName,
    target: evidence.target,
    actual: evidence.actual,
    fulfilment: evidence.fulfilment,
    tolerance: evidence.tolerance,
    measure: indicator.measure,
    indicatorName: indicator.name,
    readingAt: evidence.readingAt,
    receivedFrom: evidence.receivedFrom,
  });
  return parsed.success ? parsed.data : null;
}

/**
 * What of the facts, changed, is worth an update to the node above: the plan, target, actual and share of plan
 * (a new reading's time alone is not).
 */
export function factsKey(f: ShortfallFacts): string {
  return JSON.stringify([f.planId, f.target, f.actual, f.fulfilment]);
}
