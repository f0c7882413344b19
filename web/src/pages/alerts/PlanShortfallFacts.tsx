// What a plan-shortfall alert says beside its sentence: the target against the actual, and the plan (and the
// budget vote behind its target, when there is one) as links, so the reader can follow the loop back. An alert
// that climbed in from a node below shows the same facts; its plan lives at that node, so it is named, not linked.
import type { Alert } from '../../api/alert-events';
import { Link } from '../../app/router';

export interface ShortfallEvidence {
  planId?: string;
  planName?: string;
  target?: number;
  actual?: number;
  fulfilment?: number;
  tolerance?: number;
  /** The indicator's measure: in the evidence of an alert here, or flat in a federated alert's facts. */
  measure?: string;
  indicator?: { name?: string; measure?: string };
  budget?: { id: string; name: string; voteId: string | null } | null;
  /** The parent node whose targets it was measured by (no plan was adopted at the alert's own node). */
  receivedFrom?: string;
}

const fmt = (x: number) => x.toLocaleString('en-GB', { maximumFractionDigits: 2 });
const pct = (x: number) => `${(x * 100).toLocaleString('en-GB', { maximumFractionDigits: 1 })} %`;

export function PlanShortfallFacts({ alert }: { alert: Alert }) {
  const facts = alert.evidence as ShortfallEvidence;
  // Targets received from the parent node: their plan lives there, so it is named rather than linked.
  return <ShortfallFacts facts={facts} linkPlan={facts.receivedFrom === undefined} />;
}

export function ShortfallFacts({ facts: e, linkPlan }: { facts: ShortfallEvidence; linkPlan: boolean }) {
  if (e.planId === undefined || e.target === undefined || e.actual === undefined) return null;
  const measure = e.indicator?.measure ?? e.measure ?? '';
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
        {linkPlan ? (
          <Link href={`/plan?plan=${encodeURIComponent(e.planId)}`}>{e.planName ?? 'the plan in force'}</Link>
        ) : (
          <>
            {e.planName ?? 'the plan in force there'} (<code>{e.planId}</code>)
          </>
        )}
        {e.receivedFrom !== undefined && <> — its targets were sent down by node {e.receivedFrom}</>}
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
