// The largest plan the planner formulates. Its arrays grow with periods × (products + technologies + …), so an
// impossible formulation is refused with a problem naming the cause before anything is allocated.
import { DomainError } from '../../core/errors';
import { MAX_PERIOD } from '../../economy/economy';
import type { PlanSpec } from './plan-spec';

export const PLAN_LIMITS = {
  /** Periods of one plan; the same limit bounds every stored target's period. */
  periods: MAX_PERIOD,
  /** periods × (products + technologies + skills + resources): about the LP's rows and columns. */
  cells: 4_000_000,
  /** periods × (input, labour and resource coefficients): about the LP's nonzeros. */
  coefficients: 40_000_000,
} as const;

export const PLAN_SIZE_NOTE = `at most ${PLAN_LIMITS.periods} periods, periods × (products + technologies + skills + resources) ≤ ${PLAN_LIMITS.cells}, periods × coefficients ≤ ${PLAN_LIMITS.coefficients}`;

/** Refuses a plan too large to formulate; `periodsField` names where the horizon came from. */
export function checkPlanSize(spec: PlanSpec, periodsField = 'periods'): void {
  const { economy, periods } = spec;
  if (periods > PLAN_LIMITS.periods) {
    throw new DomainError(
      'invalid',
      `${periodsField}: ${periods} periods is more than the planner's limit of ${PLAN_LIMITS.periods}`,
      {
        issues: [{ field: periodsField, message: `at most ${PLAN_LIMITS.periods} periods` }],
        fix: `plan at most ${PLAN_LIMITS.periods} periods`,
        data: { limit: PLAN_LIMITS.periods, size: periods },
      },
    );
  }
  const items =
    economy.products.length + economy.technologies.length + economy.skills.length + economy.resources.length;
  const coefficients = economy.technologies.reduce(
    (n, t) => n + t.inputs.length + t.labour.length + t.resources.length,
    0,
  );
  const cells = periods * items;
  const nonzeros = periods * coefficients;
  if (cells > PLAN_LIMITS.cells || nonzeros > PLAN_LIMITS.coefficients) {
    throw new DomainError(
      'invalid',
      `${periodsField}: ${periods} periods × ${items} products, technologies, skills and resources (${coefficients} coefficients) is more than the planner formulates (${PLAN_LIMITS.cells} cells, ${PLAN_LIMITS.coefficients} coefficients)`,
      {
        issues: [
          { field: periodsField, message: 'the plan is too large: fewer periods or a smaller economy' },
        ],
        fix: 'plan fewer periods, or aggregate the economy',
        data: {
          cells,
          nonzeros,
          limits: { cells: PLAN_LIMITS.cells, coefficients: PLAN_LIMITS.coefficients },
        },
      },
    );
  }
}
