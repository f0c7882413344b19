// One plan's results: status, infeasibility explanation, flows, shadow prices and binding constraints.
import { useMemo, useState } from 'react';
import { api, unwrap, type OpOutput } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Term } from '../../components/Term';
import { unfinishedWords } from './ComputeForm';
import type { EconomyModel } from '../../api/economy';
import { formatNumber, SortableTable } from '../../components/SortableTable';
import { FlowsSection } from './FlowsSection';

type Plan = OpOutput<'planning.get'>;

/** Adopt the open plan, for its planners; says why a plan cannot be adopted instead of offering it. */
function AdoptControl({ plan, adopted, onAdopted }: { plan: Plan; adopted: boolean; onAdopted: () => void }) {
  const adoptable = useQuery(
    () => unwrap(api.POST('/api/planning/adoptable', { body: { planId: plan.id } })),
    [plan.id],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  if (adopted)
    return <p className="notice notice-info">This is the adopted plan: the units' targets come from it.</p>;
  if (adoptable.status !== 'ok') return null;
  if (!adoptable.data.adoptable)
    return <p className="muted">This plan cannot be adopted: {adoptable.data.reason}.</p>;
  const adopt = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/planning/adopt', { body: { planId: plan.id } }));
      onAdopted();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="adopt">
      <button type="button" className="primary" disabled={busy} onClick={() => void adopt()}>
        Adopt this plan
      </button>{' '}
      <span className="muted">
        Its targets then replace the adopted plan's for every unit of the economy.
      </span>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

export function PlanResultView({
  plan,
  model,
  adopted = false,
  mayAdopt = false,
  onAdopted = () => {},
}: {
  plan: Plan;
  model: EconomyModel;
  adopted?: boolean;
  mayAdopt?: boolean;
  onAdopted?: () => void;
}) {
  const { record } = plan;
  const unfinished = unfinishedWords(plan.status, record.solver.name);
  const [period, setPeriod] = useState(1);
  const names = useMemo(() => new Map(model.products.map((p) => [p.code, p.name])), [model]);
  const levels = useMemo(
    () => new Map(record.technologies.map((t) => [t.code, t.activity[period - 1] ?? 0])),
    [record, period],
  );
  const at = (xs: number[]) => xs[period - 1] ?? 0;
  return (
    <section aria-labelledby="plan-h" className="plan-result">
      <h2 id="plan-h">
        {plan.name}{' '}
        <span className={`status status-${plan.status}`}>
          {plan.status === 'optimal' ? 'optimal' : `${plan.status}: no plan`}
        </span>
        {adopted && (
          <>
            {' '}
            <span className="tag tag-adopted">adopted</span>
          </>
        )}
      </h2>
      {unfinished && (
        <div
          className="notice notice-error"
          role={record.infeasibility ? undefined : 'alert'}
          data-testid="plan-unfinished"
        >
          <strong>
            This computation did not give a plan (<Term id="solver-status">{plan.status}</Term>).
          </strong>
          <p>Why: {unfinished.why}.</p>
          <p>What to try: {unfinished.next}.</p>
          {record.solver.message && <p className="muted">Solver: {record.solver.message}</p>}
        </div>
      )}
      {mayAdopt && <AdoptControl plan={plan} adopted={adopted} onAdopted={onAdopted} />}
      {!mayAdopt && adopted && <p className="notice notice-info">This is the adopted plan.</p>}
      <p className="muted">
        Objective {plan.objective}
        {plan.objectiveValue === null ? '' : ` = ${formatNumber(plan.objectiveValue)}`}; {record.periods}{' '}
        period
        {record.periods === 1 ? '' : 's'}; solved by {record.solver.name} in{' '}
        {formatNumber(record.solver.seconds)} s{plan.basePlanId ? '; a scenario of another plan' : ''}.
      </p>
      {record.periods > 1 && (
        <label className="inline">
          Period{' '}
          <select value={period} onChange={(e) => setPeriod(Number(e.target.value))}>
            {Array.from({ length: record.periods }, (_, i) => (
              <option key={i + 1} value={i + 1}>
                {i + 1}
              </option>
            ))}
          </select>
        </label>
      )}
      {record.infeasibility && (
        <div className="notice notice-error" role="alert">
          <strong>This plan cannot be met.</strong>
          <p>{record.infeasibility.summary}</p>
          {record.infeasibility.relaxations.length > 0 && (
            <SortableTable
              caption="The smallest changes to the limits that would make it feasible"
              rows={record.infeasibility.relaxations}
              rowKey={(r) => `${r.kind}/${r.code}/${r.period}`}
              columns={[
                { key: 'description', label: 'What conflicts', value: (r) => r.description },
                { key: 'kind', label: 'Kind', value: (r) => r.kind },
                { key: 'period', label: 'Period', value: (r) => r.period, numeric: true },
                {
                  key: 'amount',
                  label: 'Short by',
                  value: (r) => r.amount,
                  render: (r) => `${formatNumber(r.amount)} ${r.unit}`,
                  numeric: true,
                },
                {
                  key: 'bound',
                  label: 'Limit',
                  value: (r) => r.bound,
                  render: (r) => `${formatNumber(r.bound)} ${r.unit}`,
                  numeric: true,
                },
              ]}
            />
          )}
        </div>
      )}
      {plan.status === 'optimal' && (
        <>
          <FlowsSection
            model={model}
            levels={levels}
            basis={`Inputs flowing between products when every technology runs at its planned activity in period ${period}.`}
          />
          <div className="panel">
            <SortableTable
              caption={
                <>
                  Products: <Term id="net-output">gross and net output</Term> against target, and{' '}
                  <Term id="shadow-price">shadow price</Term> (objective per extra unit of target)
                </>
              }
              rows={record.products}
              rowKey={(p) => p.code}
              initialSort={{ key: 'price', descending: true }}
              limit={15}
              columns={[
                { key: 'code', label: 'Code', value: (p) => p.code },
                { key: 'name', label: 'Product', value: (p) => names.get(p.code) ?? p.code },
                {
                  key: 'gross',
                  label: 'Gross',
                  value: (p) => at(p.gross),
                  render: (p) => formatNumber(at(p.gross)),
                  numeric: true,
                },
                {
                  key: 'net',
                  label: 'Net',
                  value: (p) => at(p.net),
                  render: (p) => formatNumber(at(p.net)),
                  numeric: true,
                },
                {
                  key: 'target',
                  label: 'Target',
                  value: (p) => at(p.target),
                  render: (p) => formatNumber(at(p.target)),
                  numeric: true,
                },
                {
                  key: 'price',
                  label: 'Shadow price',
                  value: (p) => at(p.price),
                  render: (p) => formatNumber(at(p.price)),
                  numeric: true,
                },
              ]}
            />
          </div>
          <div className="panel">
            {record.binding.length === 0 ? (
              <p>No constraint binds in this plan.</p>
            ) : (
              <SortableTable
                caption={
                  <>
                    <Term id="binding-constraint">Binding constraints</Term> (the limits the plan presses
                    against)
                  </>
                }
                rows={record.binding.filter((b) => b.period === period)}
                rowKey={(b) => `${b.kind}/${b.code}/${b.period}`}
                initialSort={{ key: 'price', descending: true }}
                limit={15}
                columns={[
                  { key: 'description', label: 'Constraint', value: (b) => b.description },
                  { key: 'kind', label: 'Kind', value: (b) => b.kind },
                  {
                    key: 'price',
                    label: 'Shadow price',
                    value: (b) => b.shadowPrice,
                    render: (b) => formatNumber(b.shadowPrice),
                    numeric: true,
                  },
                  {
                    key: 'slack',
                    label: 'Slack',
                    value: (b) => b.slack,
                    render: (b) => formatNumber(b.slack),
                    numeric: true,
                  },
                ]}
              />
            )}
          </div>
        </>
      )}
    </section>
  );
}
