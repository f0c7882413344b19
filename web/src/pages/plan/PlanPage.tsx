// The plan page: compute plans and scenarios, see one plan's flows, prices and limits, and compare two.
import { useMemo, useState } from 'react';
import { useAbilities } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import { loadModel } from '../../api/economy';
import { useQuery } from '../../api/use-query';
import { navigate } from '../../app/router';
import { TableWrap } from '../../components/TableWrap';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber } from '../../components/SortableTable';
import { ComputeForm } from './ComputeForm';
import { FlowsSection } from './FlowsSection';
import { LabourValuesSection } from './LabourValuesSection';
import { PlanDiffSection } from './PlanDiffSection';
import { PlanResultView } from './PlanResultView';

/** The page's address: the economy chosen in the picker and the plan open, so both survive a reload. */
export function planHref(economyId: string, planId?: string): string {
  const q = new URLSearchParams({ economy: economyId });
  if (planId) q.set('plan', planId);
  return `/plan?${q.toString()}`;
}

export function PlanPage({
  planId,
  economyId,
}: {
  planId: string | undefined;
  /** From the URL; when absent, the open plan's economy, else the first the reader may read. */
  economyId: string | undefined;
}) {
  // Bumped after an adoption, so the list and the note show the new adopted plan.
  const [adoptions, setAdoptions] = useState(0);
  // One request for the open plan, shared by the economy choice and the plan view.
  const planRequest = useMemo(
    () => (planId ? unwrap(api.POST('/api/planning/get', { body: { id: planId } })) : undefined),
    [planId],
  );
  const loaded = useQuery(
    async () => {
      const { economies } = await unwrap(api.POST('/api/economy/list', { body: {} }));
      const wanted =
        economyId ??
        (await planRequest?.then(
          (p) => p.economyId,
          () => undefined,
        ));
      const economy = economies.find((e) => e.id === wanted) ?? economies[0];
      if (!economy) return undefined;
      const [model, { plans }, { adopted }, owner] = await Promise.all([
        loadModel(economy),
        unwrap(api.POST('/api/planning/list', { body: { economyId: economy.id } })),
        unwrap(api.POST('/api/planning/adopted', { body: { unitId: economy.unitId } })),
        unwrap(api.POST('/api/holarchy/unit/get', { body: { id: economy.unitId } })),
      ]);
      return {
        economies,
        economy,
        model,
        plans,
        adopted,
        owner,
        missing: wanted !== undefined && wanted !== economy.id,
      };
    },
    [planId, economyId, planRequest, adoptions],
    { keepPrevious: true },
  );
  const abilities = useAbilities(loaded.status === 'ok' && loaded.data ? [loaded.data.economy.unitId] : []);
  const chosen = useQuery(() => planRequest ?? Promise.resolve(undefined), [planRequest]);
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
  const { economies, economy, model, plans, adopted, owner, missing } = loaded.data;
  const adoptedHere = adopted && adopted.economyId === economy.id ? adopted : null;
  const open = (id: string) => navigate(planHref(economy.id, id));
  return (
    <section>
      <h1>Plan</h1>
      <div className="inline">
        <label htmlFor="economy-pick">Economy</label>
        <select
          id="economy-pick"
          value={economy.id}
          onChange={(e) => navigate(planHref(e.target.value))}
          aria-describedby="economy-note"
        >
          {economies.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name} (version {e.version})
            </option>
          ))}
        </select>
      </div>
      {missing && (
        <p className="notice notice-error" role="alert">
          The economy in this address is not one you may read (or no longer exists); showing {economy.name}.
        </p>
      )}
      <p id="economy-note">
        <strong>{economy.name}</strong>, version {economy.version}: {model.products.length} products,{' '}
        {model.technologies.length} technologies, {model.targets.length} targets.
      </p>
      <ComputeForm
        key={economy.id}
        economyId={economy.id}
        model={model}
        plans={plans}
        onComputed={(p) => open(p.id)}
        mayCompute={abilities.may(economy.unitId, 'planning.compute')}
        ownerName={owner.name}
      />
      <p data-testid="adopted-note">
        {adoptedHere
          ? `Adopted plan of ${owner.name}: “${adoptedHere.planName}”, adopted by ${adoptedHere.adoptedBy} on ${new Date(adoptedHere.adoptedAt).toLocaleString('en-GB')}. The units' targets come from it.`
          : `No plan of this economy has been adopted yet: the units of ${owner.name} have no targets until its planners adopt one.`}
      </p>
      <section aria-labelledby="plans-h" className="panel">
        <h2 id="plans-h">Plans and scenarios</h2>
        {plans.length === 0 ? (
          <p>No plan has been computed for this economy yet.</p>
        ) : (
          <TableWrap>
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
                      {p.basePlanId && (
                        <>
                          {' '}
                          <span className="tag">scenario</span>
                        </>
                      )}
                      {adoptedHere?.planId === p.id && (
                        <>
                          {' '}
                          <span className="tag tag-adopted">adopted</span>
                        </>
                      )}
                      {p.id === planId && (
                        <>
                          {' '}
                          <span className="tag">open below</span>
                        </>
                      )}
                    </td>
                    <td>
                      <span className={`status status-${p.status}`}>
                        {p.status === 'optimal' ? 'optimal' : `${p.status} (no plan)`}
                      </span>
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
          </TableWrap>
        )}
      </section>
      {chosen.status === 'loading' && planId && <Loading what="the plan" />}
      {chosen.status === 'error' && <ErrorNotice error={chosen.error} onRetry={chosen.reload} />}
      {chosen.status === 'ok' &&
        chosen.data &&
        // The plan opens once the list (and the adopted plan) include it, so the page never shows a plan
        // beside a list that does not know it yet.
        (chosen.data.economyId !== economy.id || plans.some((p) => p.id === chosen.data?.id)) &&
        (chosen.data.economyId === economy.id ? (
          <PlanResultView
            plan={chosen.data}
            model={model}
            adopted={adoptedHere?.planId === chosen.data.id}
            mayAdopt={abilities.may(economy.unitId, 'planning.adopt')}
            onAdopted={() => setAdoptions((n) => n + 1)}
          />
        ) : (
          <p className="notice notice-info" role="status">
            The plan in this address, {chosen.data.name}, belongs to another economy: choose that economy
            above to see it.
          </p>
        ))}
      {!planId && (
        <FlowsSection
          model={model}
          levels={targetLevels}
          basis="No plan open: the direct inputs needed to make the period-1 final-demand targets (each technology run at its product's target)."
        />
      )}
      <PlanDiffSection key={`diff-${economy.id}`} plans={plans} model={model} />
      <LabourValuesSection key={`lv-${economy.id}`} economyId={economy.id} model={model} />
    </section>
  );
}
