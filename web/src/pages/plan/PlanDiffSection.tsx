// Compare two plan versions or scenarios (planning.diff): objective, net output by product, activity by unit.
import { useState } from 'react';
import { api, unwrap, type OpOutput } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatNumber, SortableTable } from '../../components/SortableTable';

type PlanSummary = OpOutput<'planning.list'>['plans'][number];
type Diff = OpOutput<'planning.diff'>;

export function PlanDiffSection({ plans }: { plans: PlanSummary[] }) {
  const [a, setA] = useState(plans[1]?.id ?? '');
  const [b, setB] = useState(plans[0]?.id ?? '');
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const nameOf = (id: string) => plans.find((p) => p.id === id)?.name ?? id;
  const compare = async () => {
    setError(null);
    try {
      setDiff(await unwrap(api.POST('/api/planning/diff', { body: { a, b } })));
    } catch (err) {
      setDiff(null);
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  if (plans.length < 2) return <p className="panel">Compute two plans or scenarios to compare them here.</p>;
  const pick = (value: string, set: (v: string) => void, label: string) => (
    <label>
      {label}
      <select value={value} onChange={(e) => set(e.target.value)}>
        {plans.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({new Date(p.createdAt).toLocaleTimeString('en-GB')})
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="diff-h" className="panel">
      <h2 id="diff-h">Compare two plans</h2>
      <div className="form-grid">
        {pick(a, setA, 'Plan A')}
        {pick(b, setB, 'Plan B')}
        <div>
          <button type="button" onClick={() => void compare()} disabled={a === b}>
            Compare
          </button>
        </div>
      </div>
      {error && <ErrorNotice error={error} />}
      {diff && (
        <div aria-live="polite">
          <p>
            Objective: {nameOf(a)} {diff.objective.a === null ? '—' : formatNumber(diff.objective.a)} →{' '}
            {nameOf(b)} {diff.objective.b === null ? '—' : formatNumber(diff.objective.b)}.
          </p>
          <SortableTable
            caption="Net output by product (B − A), largest change first"
            rows={diff.byProduct.filter((r) => r.delta !== 0)}
            rowKey={(r) => `${r.product}/${r.period}`}
            initialSort={{ key: 'abs', descending: true }}
            limit={30}
            columns={[
              { key: 'product', label: 'Product', value: (r) => r.product },
              { key: 'period', label: 'Period', value: (r) => r.period, numeric: true },
              {
                key: 'netA',
                label: 'A',
                value: (r) => r.netA,
                render: (r) => formatNumber(r.netA),
                numeric: true,
              },
              {
                key: 'netB',
                label: 'B',
                value: (r) => r.netB,
                render: (r) => formatNumber(r.netB),
                numeric: true,
              },
              {
                key: 'abs',
                label: 'Change',
                value: (r) => Math.abs(r.delta),
                render: (r) => signed(r.delta),
                numeric: true,
              },
            ]}
          />
          <SortableTable
            caption="Activity by unit (B − A), largest change first"
            rows={diff.byUnit.filter((r) => r.delta !== 0)}
            rowKey={(r) => r.unit ?? '(unassigned)'}
            initialSort={{ key: 'abs', descending: true }}
            limit={30}
            columns={[
              { key: 'unit', label: 'Unit', value: (r) => r.unit ?? '(unassigned)' },
              {
                key: 'a',
                label: 'A',
                value: (r) => r.activityA,
                render: (r) => formatNumber(r.activityA),
                numeric: true,
              },
              {
                key: 'b',
                label: 'B',
                value: (r) => r.activityB,
                render: (r) => formatNumber(r.activityB),
                numeric: true,
              },
              {
                key: 'abs',
                label: 'Change',
                value: (r) => Math.abs(r.delta),
                render: (r) => signed(r.delta),
                numeric: true,
              },
            ]}
          />
          {diff.byProduct.every((r) => r.delta === 0) && <p>The two plans have the same net outputs.</p>}
        </div>
      )}
    </section>
  );
}

function signed(x: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${formatNumber(Math.abs(x))}`;
}
