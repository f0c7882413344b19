// The plan page: compute plans and scenarios, see one plan's flows, prices and limits, and compare two.
import { useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import { loadModel } from '../../api/economy';
import { useQuery } from '../../api/use-query';
import { navigate } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber } from '../../components/SortableTable';
import { ComputeForm } from './ComputeForm';
import { FlowsSection } from './FlowsSection';
import { LabourValuesSection } from './LabourValuesSection';
import { PlanDiffSection } from './PlanDiffSection';
import { PlanResultView } from './PlanResultView';

export function PlanPage({ planId }: { planId: string | undefined }) {
  const loaded = useQuery(
    async () => {
      const { economies } = await unwrap(api.POST('/api/economy/list', { body: {} }));
      const economy = economies[0];
      if (!economy) return undefined;
      const [model, { plans }] = await Promise.all([
        loadModel(economy),
        unwrap(api.POST('/api/planning/list', { body: { economyId: economy.id } })),
      ]);
      return { economy, model, plans };
    },
    [planId],
    { keepPrevious: true },
  );
  const chosen = useQuery(
    () =>
      planId ? unwrap(api.POST('/api/planning/get', { body: { id: planId } })) : Promise.resolve(undefined),
    [planId],
  );
  const targetLevels = useMemo(() => {
    if (loaded.status !== 'ok' || !loaded.data) return new Map<string, number>();
    const { model } = loaded.data;
    const demand = new Map<string, number>();
    for (const t of model.targets)
      if (t.period === 1) demand.set(t.product, (demand.get(t.product) ?? 0) + t.quantity);
    return new Map(model.technologies.map((t) => [t.code, demand.get(t.product) ?? 0]));
  }, [loaded]);
  if (loaded.status === 'loading') return <Loading what="the economy and its plans" />;
  if (loaded.status === 'error')
    return (
      <section>
        <h1>Plan</h1>
        <ErrorNotice error={loaded.error} onRetry={loaded.reload} />
      </section>
    );
  if (!loaded.data) return <p>There is no economy you may read.</p>;
  const { economy, model, plans } = loaded.data;
  const open = (id: string) => navigate(`/plan?plan=${encodeURIComponent(id)}`);
  return (
    <section>
      <h1>Plan</h1>
      <p>
        Economy <strong>{economy.name}</strong>, version {economy.version}: {model.products.length} products,{' '}
        {model.technologies.length} technologies, {model.targets.length} targets.
      </p>
      <ComputeForm economyId={economy.id} model={model} plans={plans} onComputed={(p) => open(p.id)} />
      <section aria-labelledby="plans-h" className="panel">
        <h2 id="plans-h">Plans and scenarios</h2>
        {plans.length === 0 ? (
          <p>No plan has been computed for this economy yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Newest first; open one to see its results</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Objective</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col">Computed</th>
                </tr>
              </thead>
              <tbody>
                {plans.map((p) => (
                  <tr key={p.id} aria-current={p.id === planId ? 'true' : undefined}>
                    <td>
                      <button type="button" className="linklike" onClick={() => open(p.id)}>
                        {p.name}
                      </button>
                      {p.basePlanId && <span className="tag">scenario</span>}
                    </td>
                    <td>
                      <span className={`status status-${p.status}`}>{p.status}</span>
                    </td>
                    <td>{p.objective}</td>
                    <td className="num">
                      {p.objectiveValue === null ? '—' : formatNumber(p.objectiveValue)}
                    </td>
                    <td>{new Date(p.createdAt).toLocaleString('en-GB')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {chosen.status === 'loading' && planId && <Loading what="the plan" />}
      {chosen.status === 'error' && <ErrorNotice error={chosen.error} onRetry={chosen.reload} />}
      {chosen.status === 'ok' && chosen.data && <PlanResultView plan={chosen.data} model={model} />}
      {!planId && (
        <FlowsSection
          model={model}
          levels={targetLevels}
          basis="No plan open: the direct inputs needed to make the period-1 final-demand targets (each technology run at its product's target)."
        />
      )}
      <PlanDiffSection plans={plans} />
      <LabourValuesSection economyId={economy.id} model={model} />
    </section>
  );
}
