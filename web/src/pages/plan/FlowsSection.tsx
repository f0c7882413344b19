// Input–output flows as an ECharts Sankey, filterable by product, with the same flows as a table.
import { useMemo, useState } from 'react';
import type { EconomyModel } from '../../api/economy';
import { EChart } from '../../charts/EChart';
import { ioFlows, sankeyOption, selectFlows, type Flow } from '../../charts/io-flows';
import { formatNumber, SortableTable } from '../../components/SortableTable';

const LIMIT = 40;

/** The diagram in words: its three largest flows. */
function summary(flows: Flow[], names: ReadonlyMap<string, string>, unit: string): string {
  const largest = [...flows].sort((a, b) => b.value - a.value).slice(0, 3);
  const words = largest.map(
    (f) => `${names.get(f.from) ?? f.from} to ${names.get(f.to) ?? f.to}, ${formatNumber(f.value)} ${unit}`,
  );
  return `Largest flow${words.length === 1 ? '' : 's'}: ${words.join('; ')}.`;
}

export function FlowsSection({
  model,
  levels,
  basis,
}: {
  model: EconomyModel;
  /** Activity level per technology code. */
  levels: ReadonlyMap<string, number>;
  /** One sentence saying where the levels come from. */
  basis: string;
}) {
  const [product, setProduct] = useState<string>('');
  const names = useMemo(() => new Map(model.products.map((p) => [p.code, p.name])), [model]);
  const all = useMemo(() => ioFlows(model, levels), [model, levels]);
  const shown = useMemo(() => selectFlows(all, product || undefined, LIMIT), [all, product]);
  const unit = model.products[0]?.unit ?? '';
  const option = useMemo(() => sankeyOption(shown, names, unit), [shown, names, unit]);
  return (
    <section aria-labelledby="flows-h" className="panel">
      <h2 id="flows-h">Input–output flows</h2>
      <p className="muted">{basis}</p>
      <div className="inline">
        <label htmlFor="flows-product">Flows of product</label>
        <select
          id="flows-product"
          value={product}
          onChange={(e) => setProduct(e.target.value)}
          aria-describedby="flows-note"
        >
          <option value="">All products (largest {LIMIT} flows)</option>
          {model.products.map((p) => (
            <option key={p.code} value={p.code}>
              {p.code}: {p.name}
            </option>
          ))}
        </select>
      </div>
      <p id="flows-note" className="muted">
        Suppliers on the left (“A01 →”), users on the right (“→ C29”); band width is the flow in {unit}.
      </p>
      {shown.length === 0 ? (
        <p>No flows to show for this choice.</p>
      ) : (
        <>
          <p id="flows-summary">
            {summary(shown, names, unit)} All {shown.length} are in the table below the diagram.
          </p>
          <EChart
            kind="sankey"
            option={option}
            height={Math.max(360, Math.min(900, shown.length * 18))}
            label={`Sankey of ${shown.length} input–output flows`}
            summaryId="flows-summary"
            testId="sankey"
          />
          <details>
            <summary>The flows as a table</summary>
            <SortableTable
              caption="Input–output flows shown in the diagram"
              rows={shown}
              rowKey={(f) => `${f.from}>${f.to}`}
              initialSort={{ key: 'value', descending: true }}
              columns={[
                { key: 'from', label: 'From', value: (f) => `${f.from} ${names.get(f.from) ?? ''}` },
                { key: 'to', label: 'To', value: (f) => `${f.to} ${names.get(f.to) ?? ''}` },
                {
                  key: 'value',
                  label: `Flow (${unit})`,
                  value: (f) => f.value,
                  render: (f) => formatNumber(f.value),
                  numeric: true,
                },
              ]}
            />
          </details>
        </>
      )}
    </section>
  );
}
