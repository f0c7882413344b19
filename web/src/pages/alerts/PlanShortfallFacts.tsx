// What a plan-shortfall alert says beside its sentence: the target against the actual, and the plan (and the
// budget vote behind its target, when there is one) as links, so the reader can follow the loop back.
import type { Alert } from '../../api/alert-events';
import { Link } from '../../app/router';

interface ShortfallEvidence {
  planId?: string;
  planName?: string;
  target?: number;
  actual?: number;
  fulfilment?: number;
  tolerance?: number;
  indicator?: { name?: string; measure?: string };
  budget?: { id: string; name: string; voteId: string | null } | null;
}

const fmt = (x: number) => x.toLocaleString('en-GB', { maximumFractionDigits: 2 });
const pct = (x: number) => `${(x * 100).toLocaleString('en-GB', { maximumFractionDigits: 1 })} %`;

export function PlanShortfallFacts({ alert }: { alert: Alert }) {
  const e = alert.evidence as ShortfallEvidence;
  if (e.planId === undefined || e.target === undefined || e.actual === undefined) return null;
  const measure = e.indicator?.measure ?? '';
  return (
    <dl className="shortfall-facts" aria-label="Plan against actual">
      <dt>Target</dt>
      <dd>
        {fmt(e.target)} {measure}
      </dd>
      <dt>Actual</dt>
      <dd>
        {fmt(e.actual)} {measure}
      </dd>
      {e.fulfilment !== undefined && (
        <>
          <dt>Of plan</dt>
          <dd>
            {pct(e.fulfilment)}
            {e.tolerance !== undefined && ` (tolerated: ${pct(1 - e.tolerance)} or more)`}
          </dd>
        </>
      )}
      <dt>Plan</dt>
      <dd>
        <Link href={`/plan?plan=${encodeURIComponent(e.planId)}`}>{e.planName ?? 'the plan in force'}</Link>
        {e.budget && (
          <>
            {' '}
            — its target comes from the budget{' '}
            <Link href={`/budgets/${encodeURIComponent(e.budget.id)}`}>{e.budget.name}</Link>
            {e.budget.voteId && (
              <>
                {' '}
                (<Link href={`/votes/${encodeURIComponent(e.budget.voteId)}`}>the vote</Link>)
              </>
            )}
          </>
        )}
      </dd>
    </dl>
  );
}
