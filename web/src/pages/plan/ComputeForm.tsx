// Compute a plan or a what-if scenario of an existing one, with a progress bar fed by the run's event stream.
import { useState, type FormEvent } from 'react';
import { api, unwrap, type OpInput, type OpOutput } from '../../api/client';
import type { EconomyModel } from '../../api/economy';
import { followRunWhenOpen, newRunId, type RunLogEntry, type RunProgress } from '../../api/run-progress';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatNumber } from '../../components/SortableTable';
import { Term } from '../../components/Term';
import { RunProgressView } from './RunProgressView';

type ComputeInput = OpInput<'planning.compute'>;
type Plan = OpOutput<'planning.compute'>;
type PlanSummary = OpOutput<'planning.list'>['plans'][number];
type Objective = NonNullable<ComputeInput['objective']>;
type Solver = NonNullable<ComputeInput['solver']>;

const OBJECTIVES: { value: Objective; label: string }[] = [
  { value: 'min-labour', label: 'Least labour' },
  { value: 'assortment', label: 'Assortment (most of the bundle)' },
  { value: 'harmony', label: 'Harmony (Cockshott)' },
];

const SOLVERS: { value: Solver; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'technique-choice', label: 'Technique choice (exact, least labour)' },
  { value: 'highs', label: 'HiGHS (exact)' },
  { value: 'pdlp', label: 'PDLP (first-order)' },
];

/** Why a finished computation is not a plan, and what to try next; null for an optimal plan. */
export function unfinishedWords(status: string, solver?: string): { why: string; next: string } | null {
  switch (status) {
    case 'optimal':
      return null;
    case 'infeasible':
      return {
        why: 'the targets cannot all be met within the limits given',
        next: 'see below which limits conflict and by how much; raise them or lower the targets',
      };
    case 'unbounded':
      return {
        why: 'nothing limits the objective, so there is no best plan (assortment grows without end when no labour or resource is limited)',
        next: 'give the labour available (or a resource or capacity limit), or choose Least labour',
      };
    case 'iteration-limit':
    case 'time-limit':
      return {
        why: `the solver${solver ? ` (${solver})` : ''} stopped at its ${status === 'time-limit' ? 'time' : 'iteration'} limit before it found the best plan; the numbers are unfinished`,
        next: 'choose the exact solver (HiGHS) for an economy of this size, or Least labour with Automatic',
      };
    default:
      return {
        why: `the solver ended "${status}"`,
        next: 'try again with another solver (HiGHS is exact), and report it if it persists',
      };
  }
}

export function ComputeForm({
  economyId,
  model,
  plans,
  onComputed,
  mayCompute,
  ownerName,
}: {
  economyId: string;
  model: EconomyModel;
  plans: PlanSummary[];
  onComputed: (plan: Plan) => void;
  /** The server's answer: only planners of the economy's unit see the form. */
  mayCompute: boolean;
  ownerName: string;
}) {
  const [name, setName] = useState('');
  const [objective, setObjective] = useState<Objective>('min-labour');
  const [base, setBase] = useState('');
  const [product, setProduct] = useState('');
  const [quantity, setQuantity] = useState('');
  const [labour, setLabour] = useState('');
  const [solver, setSolver] = useState<Solver>('auto');
  const [log, setLog] = useState<RunLogEntry[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const skill = model.skills[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const runId = newRunId();
    const note = (e: RunProgress, source: RunLogEntry['source']) =>
      setLog((l) => [...l, { ...e, source, at: new Date() }]);
    setLog([
      { type: 'progress', fraction: 0, message: 'sent to the server', source: 'page', at: new Date() },
    ]);
    const stop = await followRunWhenOpen(runId, (e) => note(e, 'server'));
    const body: ComputeInput = {
      economyId,
      runId,
      solver,
      name: name.trim() || (base ? 'Scenario' : 'Plan'),
      ...(base ? { basePlanId: base } : { objective }),
      ...(product && quantity !== ''
        ? { changes: [{ kind: 'target' as const, product, period: 1, quantity: Number(quantity) }] }
        : {}),
      ...(skill && labour !== ''
        ? { skillsAvailable: [{ skill: skill.code, available: Number(labour) }] }
        : {}),
    };
    try {
      const plan = await unwrap(api.POST('/api/planning/compute', { body }));
      const unfinished = unfinishedWords(plan.status, plan.record.solver.name);
      note(
        unfinished
          ? {
              type: 'failed',
              fraction: undefined,
              message: `${plan.name} did not give a plan (${plan.status}): ${unfinished.why}`,
            }
          : { type: 'done', fraction: 1, message: `${plan.name}: optimal plan found` },
        'page',
      );
      onComputed(plan);
    } catch (err) {
      note({ type: 'failed', fraction: undefined, message: 'the server refused or failed' }, 'page');
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      stop();
      setBusy(false);
    }
  };

  // Assortment and harmony grow without end unless something limits production (the server refuses such a
  // plan, naming the limit): the form asks for the labour available unless the economy already limits it.
  const limited =
    model.skills.some((s) => s.available !== null && s.available !== undefined) ||
    model.resources.some((r) => r.capacity !== null && r.capacity !== undefined);
  const needsLimit = base === '' && objective !== 'min-labour' && !limited;
  const objectiveWord = objective === 'harmony' ? 'harmony' : 'assortment';
  const current = model.targets
    .filter((t) => t.product === product && t.period === 1)
    .reduce((s, t) => s + t.quantity, 0);
  const unitOf = (code: string) => model.products.find((p) => p.code === code)?.unit ?? '';
  const labourUnit = skill?.unit ?? 'h';
  if (!mayCompute)
    return (
      <section aria-labelledby="compute-h" className="panel">
        <h2 id="compute-h">Compute a plan</h2>
        <p>Plans for this economy are computed and adopted by the planners of {ownerName}.</p>
      </section>
    );
  return (
    <section aria-labelledby="compute-h" className="panel">
      <h2 id="compute-h">Compute a plan</h2>
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Plan 2015" />
        </label>
        <label>
          Scenario of
          <select value={base} onChange={(e) => setBase(e.target.value)}>
            <option value="">— a new plan —</option>
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.status})
              </option>
            ))}
          </select>
        </label>
        <label>
          <Term id="objective">Objective</Term>
          <select
            value={objective}
            disabled={base !== ''}
            onChange={(e) => setObjective(e.target.value as Objective)}
          >
            {OBJECTIVES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <Term id="solver">Solver</Term>
          <select value={solver} onChange={(e) => setSolver(e.target.value as Solver)}>
            {SOLVERS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>What if (optional)</legend>
          <label>
            Target of product
            <select value={product} onChange={(e) => setProduct(e.target.value)}>
              <option value="">— unchanged —</option>
              {model.products.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.code}: {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            New target (period 1)
            <input
              type="number"
              min="0"
              step="any"
              value={quantity}
              onChange={(e) => setQuantity(e.target.value)}
              aria-describedby="what-if-current"
            />
          </label>
          <p id="what-if-current" className="hint" aria-live="polite">
            {product
              ? `Current target of ${product} in period 1: ${formatNumber(current)} ${unitOf(product)}${
                  quantity !== '' && current > 0
                    ? `; the new one is ${formatNumber(Math.abs(((Number(quantity) - current) / current) * 100))} % ${
                        Number(quantity) >= current ? 'more' : 'less'
                      }`
                    : ''
                }.`
              : 'Choose a product to see its current target.'}
          </p>
          {skill && (
            <label>
              {skill.name} available
              <input
                type="number"
                min="0"
                step="any"
                value={labour}
                required={needsLimit}
                aria-describedby={needsLimit ? 'labour-unit assortment-note' : 'labour-unit'}
                onChange={(e) => setLabour(e.target.value)}
              />
            </label>
          )}
          {skill && (
            <p id="labour-unit" className="hint">
              Labour available is counted in {labourUnit} per period
              {needsLimit ? `; ${objectiveWord} needs it` : ''}.
            </p>
          )}
        </fieldset>
        {needsLimit && (
          <p id="assortment-note" className="notice notice-info">
            {objective === 'harmony'
              ? 'Harmony raises every output above its target'
              : 'Assortment makes as many whole bundles of the targets'}{' '}
            as the limits allow: without a limit there is no largest, so give the{' '}
            {skill ? `${skill.name.split(' (')[0]} available` : 'labour available'}.
          </p>
        )}
        <div>
          <button type="submit" className="primary" disabled={busy || (needsLimit && labour === '')}>
            {busy ? 'Computing…' : 'Compute'}
          </button>
        </div>
      </form>
      <RunProgressView log={log} />
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
