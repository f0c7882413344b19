// The plan page: the economy in focus and its input–output flows.
import { useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import { loadModel } from '../../api/economy';
import { useQuery } from '../../api/use-query';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { FlowsSection } from './FlowsSection';

export function PlanPage() {
  const loaded = useQuery(async () => {
    const { economies } = await unwrap(api.POST('/api/economy/list', { body: {} }));
    const economy = economies[0];
    return economy ? { economy, model: await loadModel(economy) } : undefined;
  }, []);
  const targetLevels = useMemo(() => {
    if (loaded.status !== 'ok' || !loaded.data) return new Map<string, number>();
    const { model } = loaded.data;
    const demand = new Map<string, number>();
    for (const t of model.targets) demand.set(t.product, (demand.get(t.product) ?? 0) + t.quantity);
    return new Map(model.technologies.map((t) => [t.code, demand.get(t.product) ?? 0]));
  }, [loaded]);
  if (loaded.status === 'loading') return <Loading what="the economy" />;
  if (loaded.status === 'error') return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <p>There is no economy you may read.</p>;
  const { economy, model } = loaded.data;
  return (
    <section>
      <h1>Plan</h1>
      <p>
        Economy <strong>{economy.name}</strong>, version {economy.version}: {model.products.length} products,{' '}
        {model.technologies.length} technologies, {model.targets.length} targets.
      </p>
      <FlowsSection
        model={model}
        levels={targetLevels}
        basis="Direct inputs needed to make the final-demand targets (each technology run at its product's target)."
      />
    </section>
  );
}
