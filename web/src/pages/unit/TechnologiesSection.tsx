// Technologies operated by a unit or any unit below it, and the final-demand targets of their products.
import { economyOnPath, loadModel, type EconomyModel } from '../../api/economy';
import { useQuery } from '../../api/use-query';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber, SortableTable } from '../../components/SortableTable';

interface Props {
  unitPath: string;
  /** Codes of the unit and of every unit below it that the reader may see. */
  codes: Set<string>;
}

function operatedBy(model: EconomyModel, codes: Set<string>) {
  return model.technologies.filter((t) => t.unit != null && codes.has(t.unit));
}

export function TechnologiesSection({ unitPath, codes }: Props) {
  const loaded = useQuery(async () => {
    const economy = await economyOnPath(unitPath);
    return economy ? { economy, model: await loadModel(economy) } : undefined;
  }, [unitPath]);
  if (loaded.status === 'loading') return <Loading what="technologies" />;
  if (loaded.status === 'error') return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <p>No economic model you may read covers this unit.</p>;
  const { model, economy } = loaded.data;
  const techs = operatedBy(model, codes);
  const products = new Map(model.products.map((p) => [p.code, p]));
  const made = new Set(techs.map((t) => t.product));
  const targets = model.targets.filter((t) => made.has(t.product));
  return (
    <>
      <section aria-labelledby="targets-h" className="panel">
        <h2 id="targets-h">Targets</h2>
        <p className="muted">
          Final-demand targets of the products this unit makes, from “{economy.name}” version{' '}
          {economy.version}.
        </p>
        {targets.length === 0 ? (
          <p>No final-demand target names a product this unit makes.</p>
        ) : (
          <SortableTable
            caption="Targets by product and period"
            rows={targets}
            rowKey={(t) => `${t.product}/${t.period}`}
            initialSort={{ key: 'quantity', descending: true }}
            columns={[
              { key: 'product', label: 'Product', value: (t) => products.get(t.product)?.name ?? t.product },
              { key: 'period', label: 'Period', value: (t) => t.period, numeric: true },
              {
                key: 'quantity',
                label: 'Target',
                value: (t) => t.quantity,
                numeric: true,
                render: (t) => `${formatNumber(t.quantity)} ${products.get(t.product)?.unit ?? ''}`,
              },
            ]}
          />
        )}
      </section>
      <section aria-labelledby="tech-h" className="panel">
        <h2 id="tech-h">Technologies operated here</h2>
        {techs.length === 0 ? (
          <p>No technology of the model is operated by this unit or the units below it.</p>
        ) : (
          <SortableTable
            caption="Technologies, with labour and inputs per unit of output"
            rows={techs}
            rowKey={(t) => t.code}
            columns={[
              { key: 'code', label: 'Code', value: (t) => t.code },
              { key: 'name', label: 'Technology', value: (t) => t.name },
              { key: 'unit', label: 'Operated by', value: (t) => t.unit ?? '' },
              {
                key: 'labour',
                label: 'Labour per unit',
                value: (t) => t.labour.reduce((s, l) => s + l.perUnit, 0),
                render: (t) => formatNumber(t.labour.reduce((s, l) => s + l.perUnit, 0)),
                numeric: true,
              },
              { key: 'inputs', label: 'Inputs', value: (t) => t.inputs.length, numeric: true },
              {
                key: 'capacity',
                label: 'Capacity',
                value: (t) => t.capacity ?? Number.POSITIVE_INFINITY,
                render: (t) => (t.capacity == null ? 'unlimited' : formatNumber(t.capacity)),
                numeric: true,
              },
            ]}
          />
        )}
      </section>
    </>
  );
}
