// The demo's plan in force: the plan that follows the federation budget vote is adopted, and the motor-vehicle
// enterprise reports its monthly gross output in the plan's own terms, so that its page shows plan against
// actual as a percentage from the first start (the shops' cars per hour cannot be put in USD million). The
// newest month falls 4 % short, more than the 3 % the enterprise tolerates: a plan-shortfall alert is open.
import type { Clock } from '../core/clock';
import type { Services } from '../core/services';

/** Monthly output as a share of the plan's monthly rate: the months vary, the newest one falls short. */
const MONTHS = [0.97, 0.99, 1.01, 0.98, 1.0, 1.02, 0.99, 0.97, 1.0, 1.01, 0.99, 0.96];

/** C29's plan-shortfall tolerance in the demo: the newest month's 4 % shortfall is more than it. */
export const DEMO_TOLERANCE = 0.03;

export interface DemoPlanInForce {
  planId: string | null;
  /** The C29 enterprise's yearly target in USD million, from the adopted plan's first period. */
  yearlyTarget: number | null;
}

export async function seedDemoPlanInForce(
  services: Services,
  clock: Clock,
  budgetPlanId: string | null,
): Promise<DemoPlanInForce> {
  const { planning, holarchy, cybernet, ingest, shortfalls } = services;
  if (budgetPlanId === null) return { planId: null, yearlyTarget: null };
  await planning.adopt(
    budgetPlanId,
    'system:demo',
    'The plan that follows the federation budget vote of the members',
  );
  const plan = await planning.get(budgetPlanId);
  const c29 = await holarchy.byCode('C29');
  const target = plan.record.unitTargets.find((t) => t.unit === 'C29' && t.period === 1);
  if (!c29 || !target) return { planId: budgetPlanId, yearlyTarget: null };
  const indicator = await cybernet.createIndicator({
    unitId: c29.id,
    code: 'gross-output',
    name: 'Gross output',
    measure: 'USD million/month',
    cadenceSeconds: 30 * 86_400,
    goodDirection: 'up',
    aggregation: 'sum',
    weight: 1,
    min: 0,
    max: null,
    detector: 'spc',
    detectorSettings: { baseline: 6, sigmaEstimator: 'standard-deviation', rebaseline: false },
    productCode: 'C29',
  });
  // The enterprise tolerates 3 % below its plan, so the newest month (96 %) opens a plan-shortfall alert.
  await shortfalls.setSetting(
    { unitId: c29.id, indicatorId: indicator.id, tolerance: DEMO_TOLERANCE, window: 1 },
    'system:demo',
  );
  const monthly = target.quantity / 12;
  const now = clock.now().getTime();
  await ingest.ingest(
    MONTHS.map((share, i) => ({
      indicator: 'gross-output',
      value: Math.round(monthly * share),
      at: now - (MONTHS.length - 1 - i) * 30 * 86_400_000 - 86_400_000,
      sourceId: `c29-gross-output-${i}`,
    })),
    { reporterUnitId: c29.id, channel: 'internal', actor: 'system:demo' },
  );
  await shortfalls.sweep();
  return { planId: budgetPlanId, yearlyTarget: target.quantity };
}
