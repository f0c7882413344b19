// Labour values v = l(I − A)⁻¹ and output multipliers of the economy (economy.analysis), as a sortable table.
import { Term } from '../../components/Term';
import { api, unwrap } from '../../api/client';
import type { EconomyModel } from '../../api/economy';
import { useQuery } from '../../api/use-query';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber, SortableTable } from '../../components/SortableTable';

/** The analysis reports its vectors as extra fields of each result; keep them only if they are numbers. */
function numbers(result: Record<string, unknown> | undefined, field: string): number[] | undefined {
  const xs = result?.[field];
  return Array.isArray(xs) && xs.every((x) => typeof x === 'number') ? (xs as number[]) : undefined;
}

export function LabourValuesSection({ economyId, model }: { economyId: string; model: EconomyModel }) {
  const analysis = useQuery(
    () => unwrap(api.POST('/api/economy/analysis', { body: { id: economyId } })),
    [economyId],
  );
  if (analysis.status === 'loading') return <Loading what="labour values" />;
  if (analysis.status === 'error') return <ErrorNotice error={analysis.error} onRetry={analysis.reload} />;
  const a = analysis.data;
  const values = numbers(a.labourValues, 'values');
  const multipliers = numbers(a.multipliers, 'output');
  const names = new Map(model.products.map((p) => [p.code, p.name]));
  if (a.labourValues?.status !== 'ok' || !values)
    return (
      <section className="panel">
        <h2>Labour values</h2>
        <p>
          The labour values could not be computed: {a.labourValues?.status ?? 'no answer'}
          {a.labourValues?.message ? ` (${a.labourValues.message})` : ''}.
        </p>
      </section>
    );
  const rows = (a.products ?? []).map((code, i) => ({
    code,
    value: values[i] ?? Number.NaN,
    multiplier: multipliers?.[i] ?? Number.NaN,
  }));
  return (
    <section aria-labelledby="lv-h" className="panel">
      <h2 id="lv-h">Labour values</h2>
      <p className="muted">
        <Term id="labour-value">Labour value</Term>: direct and indirect labour per unit of each product, v =
        l(I − A)⁻¹.
        {a.productivity &&
          ` The economy is ${a.productivity.productive ? 'productive' : 'NOT productive'} (dominant eigenvalue ${formatNumber(a.productivity.eigenvalue)}).`}
      </p>
      <SortableTable
        caption="Labour value and output multiplier per product"
        rows={rows}
        rowKey={(r) => r.code}
        initialSort={{ key: 'value', descending: true }}
        limit={15}
        columns={[
          { key: 'code', label: 'Code', value: (r) => r.code },
          { key: 'name', label: 'Product', value: (r) => names.get(r.code) ?? r.code },
          {
            key: 'value',
            label: 'Labour value',
            value: (r) => r.value,
            render: (r) => formatNumber(r.value),
            numeric: true,
          },
          {
            key: 'multiplier',
            label: 'Output multiplier',
            value: (r) => r.multiplier,
            render: (r) => formatNumber(r.multiplier),
            numeric: true,
          },
        ]}
      />
    </section>
  );
}
