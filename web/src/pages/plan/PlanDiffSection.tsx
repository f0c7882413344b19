// Compare two plan versions or scenarios (planning.diff): objective, net output by product, activity by unit.
// Differences within the solvers' accuracy are noise, not changes: they are hidden, and the page says so.
import { useState } from 'react';
import { api, unwrap, type OpOutput } from '../../api/client';
import type { EconomyModel } from '../../api/economy';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatNumber, SortableTable } from '../../components/SortableTable';

type PlanSummary = OpOutput<'planning.list'>['plans'][number];
type Diff = OpOutput<'planning.diff'>;

/** A change smaller than this share of the larger of the two values is solver noise (PDLP stops at ~1e-4). */
export const NOISE = 1e-4;

export function isNoise(a: number, b: number): boolean {
  return Math.abs(b - a) <= NOISE * Math.max(Math.abs(a), Math.abs(b));
}

function signed(x: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${formatNumber(Math.abs(x))}`;
}

function percent(a: number, delta: number): string {
  if (a === 0) return 'new';
  return `${signed((delta / Math.abs(a)) * 100)} %`;
}

export function PlanDiffSection({ plans, model }: { plans: PlanSummary[]; model: EconomyModel }) {
  // The two newest plans that finished: comparing failed computations shows nothing but their failure.
  const finished = plans.filter((p) => p.status === 'optimal');
  const [a, setA] = useState(finished[1]?.id ?? plans[1]?.id ?? '');
  const [b, setB] = useState(finished[0]?.id ?? plans[0]?.id ?? '');
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const nameOf = (id: string) => plans.find((p) => p.id === id)?.name ?? 'the plan';
  const product = (code: string) => model.products.find((p) => p.code === code);
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
            {p.name} ({p.status === 'optimal' ? '' : `${p.status}, `}
            {new Date(p.createdAt).toLocaleTimeString('en-GB')})
          </option>
        ))}
      </select>
    </label>
  );
  const products = diff ? diff.byProduct.filter((r) => !isNoise(r.netA, r.netB)) : [];
  const units = diff ? diff.byUnit.filter((r) => !isNoise(r.activityA, r.activityB)) : [];
  const status = (id: string) => plans.find((p) => p.id === id)?.status;
  return (
    <section aria-labelledby="diff-h" className="panel">
      <h2 id="diff-h">Compare two plans</h2>
      {finished.length < 2 && (
        <p className="muted">
          Fewer than two plans finished (optimal): a comparison with a failed one shows little.
        </p>
      )}
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
            {[a, b].some((id) => status(id) !== 'optimal') &&
              ' One of the two did not finish, so its numbers are not a plan.'}
          </p>
          <p className="muted" data-testid="noise-note">
            Changes smaller than {formatNumber(NOISE * 100)} % of the value are within the solvers’ accuracy
            and are not shown
            {diff.byProduct.length - products.length + diff.byUnit.length - units.length > 0
              ? ` (${diff.byProduct.length - products.length + diff.byUnit.length - units.length} hidden)`
              : ''}
            .
          </p>
          {products.length === 0 ? (
            <p>The two plans have the same net outputs.</p>
          ) : (
            <SortableTable
              caption="Net output by product (B − A), largest change first"
              rows={products}
              rowKey={(r) => `${r.product}/${r.period}`}
              initialSort={{ key: 'abs', descending: true }}
              limit={30}
              columns={[
                {
                  key: 'product',
                  label: 'Product',
                  value: (r) => product(r.product)?.name ?? r.product,
                  render: (r) => `${product(r.product)?.name ?? r.product} (${r.product})`,
                },
                { key: 'period', label: 'Period', value: (r) => r.period, numeric: true },
                {
                  key: 'netA',
                  label: 'A',
                  value: (r) => r.netA,
                  render: (r) => `${formatNumber(r.netA)} ${product(r.product)?.unit ?? ''}`,
                  numeric: true,
                },
                {
                  key: 'netB',
                  label: 'B',
                  value: (r) => r.netB,
                  render: (r) => `${formatNumber(r.netB)} ${product(r.product)?.unit ?? ''}`,
                  numeric: true,
                },
                {
                  key: 'abs',
                  label: 'Change',
                  value: (r) => Math.abs(r.delta),
                  render: (r) =>
                    `${signed(r.delta)} ${product(r.product)?.unit ?? ''} (${percent(r.netA, r.delta)})`,
                  numeric: true,
                },
              ]}
            />
          )}
          {units.length > 0 && (
            <SortableTable
              caption="Activity by operating unit (B − A), in each unit's output, largest change first"
              rows={units}
              rowKey={(r) => r.unit ?? '(unassigned)'}
              initialSort={{ key: 'abs', descending: true }}
              limit={30}
              columns={[
                { key: 'unit', label: 'Unit', value: (r) => r.unit ?? 'no unit assigned' },
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
                  render: (r) => `${signed(r.delta)} (${percent(r.activityA, r.delta)})`,
                  numeric: true,
                },
              ]}
            />
          )}
        </div>
      )}
    </section>
  );
}
