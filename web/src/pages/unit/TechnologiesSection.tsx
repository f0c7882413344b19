// Technologies of the economic model operated by a unit or any unit below it.
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
  const { model } = loaded.data;
  const techs = operatedBy(model, codes);
  return (
    <>
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
