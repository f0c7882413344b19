// Compute a plan or a what-if scenario of an existing one, with a progress bar fed by the run's event stream.
import { useState, type FormEvent } from 'react';
import { api, unwrap, type OpInput, type OpOutput } from '../../api/client';
import type { EconomyModel } from '../../api/economy';
import { followRunWhenOpen, newRunId, type RunLogEntry, type RunProgress } from '../../api/run-progress';
import { ErrorNotice } from '../../components/ErrorNotice';
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

export function ComputeForm({
  economyId,
  model,
  plans,
  onComputed,
}: {
  economyId: string;
  model: EconomyModel;
  plans: PlanSummary[];
  onComputed: (plan: Plan) => void;
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
      note({ type: 'done', fraction: 1, message: `${plan.name}: ${plan.status}` }, 'page');
      onComputed(plan);
    } catch (err) {
      note({ type: 'failed', fraction: undefined, message: 'the server refused or failed' }, 'page');
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      stop();
      setBusy(false);
    }
  };

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
          Objective
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
          Solver
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
            />
          </label>
          {skill && (
            <label>
              {skill.name} available
              <input
                type="number"
                min="0"
                step="any"
                value={labour}
                onChange={(e) => setLabour(e.target.value)}
              />
            </label>
          )}
        </fieldset>
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Computing…' : 'Compute'}
          </button>
        </div>
      </form>
      <RunProgressView log={log} />
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
