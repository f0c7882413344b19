// One budget (or priorities vote): its projects and costs, the ballot, the office's close and plan, and the
// plan's targets with the projects and vote each came from.
import { useState, type FormEvent } from 'react';
import { useAbilities } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import {
  BALLOT_WORDS,
  fmt,
  isProjectsResult,
  poolWords,
  RULE_WORDS,
  type Budget,
  type BudgetPlan,
} from '../../api/budgets';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading, PageError } from '../../components/ErrorNotice';

function BallotSection({ budget, onCast }: { budget: Budget; onCast: () => void }) {
  const priorities = budget.kind === 'priorities';
  const options = priorities
    ? budget.groups.map((g) => ({ id: g.id, name: g.name, cost: 0 }))
    : budget.projects.filter((p) => p.status === 'accepted');
  const [approve, setApprove] = useState<string[]>([]);
  const [points, setPoints] = useState<Record<string, number>>({});
  const [ranking, setRanking] = useState('');
  const [receipt, setReceipt] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const ballot = budget.settings.ballot;
  const spent = approve.reduce((s, id) => s + (options.find((o) => o.id === id)?.cost ?? 0), 0);
  const given = Object.values(points).reduce((s, x) => s + x, 0);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const body =
        ballot === 'approval' && !priorities
          ? { id: budget.id, approve }
          : ballot === 'ranked'
            ? {
                id: budget.id,
                ranking: ranking
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              }
            : { id: budget.id, points };
      const r = await unwrap(api.POST('/api/budget/vote', { body }));
      setReceipt(r.receipt);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  if (receipt)
    return (
      <div className="notice notice-info" role="status">
        <strong>Your ballot was cast.</strong> Receipt code: <code data-testid="receipt">{receipt}</code>{' '}
        <button type="button" onClick={onCast}>
          Done
        </button>
      </div>
    );
  return (
    <form onSubmit={submit} aria-labelledby="ballot-h">
      <h2 id="ballot-h">Your ballot</h2>
      <p className="muted">
        {priorities
          ? `Distribute up to ${budget.settings.points ?? 0} points over the groups.`
          : BALLOT_WORDS[ballot]}
      </p>
      {ballot === 'approval' && !priorities && (
        <fieldset>
          <legend>Projects</legend>
          {options.map((o) => (
            <label key={o.id} className="check">
              <input
                type="checkbox"
                checked={approve.includes(o.id)}
                onChange={(e) =>
                  setApprove(e.target.checked ? [...approve, o.id] : approve.filter((x) => x !== o.id))
                }
              />{' '}
              {o.name} ({fmt(o.cost)})
            </label>
          ))}
          <p aria-live="polite">
            Chosen: {fmt(spent)} of {fmt(budget.settings.pool.amount)}
            {spent > budget.settings.pool.amount ? ' — over the pool, remove a project' : ''}
          </p>
        </fieldset>
      )}
      {(ballot === 'cumulative' || priorities) && (
        <fieldset>
          <legend>{priorities ? 'Groups' : 'Projects'}</legend>
          {options.map((o) => (
            <label key={o.id} className="field">
              {o.name}{' '}
              <input
                type="number"
                min={0}
                max={budget.settings.points ?? 100}
                value={points[o.id] ?? 0}
                onChange={(e) => setPoints({ ...points, [o.id]: Number(e.target.value) })}
              />
            </label>
          ))}
          <p aria-live="polite">
            Points given: {given} of {budget.settings.points ?? 0}
          </p>
        </fieldset>
      )}
      {ballot === 'ranked' && !priorities && (
        <label className="field">
          Project ids in order of preference, separated by commas (
          {options.map((o) => `${o.id} = ${o.name}`).join('; ')})
          <input value={ranking} onChange={(e) => setRanking(e.target.value)} />
        </label>
      )}
      {error && <ErrorNotice error={error} />}
      <button type="submit">Cast ballot</button>
    </form>
  );
}

function OfficeSection({ budget, onChange }: { budget: Budget; onChange: () => void }) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [objective, setObjective] = useState<'min-labour' | 'harmony'>('min-labour');
  const [prioritiesId, setPrioritiesId] = useState('');
  const [planned, setPlanned] = useState<BudgetPlan | null>(null);
  const priorities = useQuery(
    () => unwrap(api.POST('/api/budget/list', { body: { economyId: budget.economyId } })),
    [budget.economyId],
  );
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onChange();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  const closeVote = () =>
    run(() =>
      budget.kind === 'priorities'
        ? unwrap(api.POST('/api/priorities/close', { body: { id: budget.id } }))
        : unwrap(api.POST('/api/budget/close', { body: { id: budget.id } })),
    );
  const plan = () =>
    run(async () =>
      setPlanned(
        await unwrap(
          api.POST('/api/budget/plan', {
            body: { id: budget.id, objective, ...(prioritiesId ? { prioritiesId } : {}) },
          }),
        ),
      ),
    );
  const closedPriorities =
    priorities.status === 'ok'
      ? priorities.data.budgets.filter((b) => b.kind === 'priorities' && b.status === 'closed')
      : [];
  return (
    <section className="panel" aria-labelledby="office-h">
      <h2 id="office-h">Planning office</h2>
      {budget.status === 'voting' && (
        <button type="button" disabled={busy} onClick={closeVote}>
          Close the vote and count
        </button>
      )}
      {budget.status === 'closed' && budget.kind === 'projects' && (
        <div>
          <label className="field">
            Objective{' '}
            <select
              value={objective}
              onChange={(e) => setObjective(e.target.value as 'min-labour' | 'harmony')}
            >
              <option value="min-labour">least labour</option>
              <option value="harmony">harmony</option>
            </select>
          </label>
          {objective === 'harmony' && (
            <label className="field">
              Weights from{' '}
              <select value={prioritiesId} onChange={(e) => setPrioritiesId(e.target.value)}>
                <option value="">equal weights</option>
                {closedPriorities.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="button" disabled={busy} onClick={plan}>
            Compute the plan from the result
          </button>
        </div>
      )}
      {busy && <Loading what="the office's work" />}
      {error && <ErrorNotice error={error} />}
      {planned && (
        <p role="status">
          Plan <Link href={`/plan?plan=${planned.plan.id}`}>{planned.plan.name}</Link>: {planned.plan.status}.
          {planned.conflict && <strong> {planned.conflict.summary}</strong>}
        </p>
      )}
    </section>
  );
}

function PlanTargets({ planId }: { planId: string }) {
  const plan = useQuery(() => unwrap(api.POST('/api/planning/get', { body: { id: planId } })), [planId]);
  if (plan.status === 'loading') return <Loading what="the plan" />;
  if (plan.status === 'error') return <ErrorNotice error={plan.error} onRetry={plan.reload} />;
  const p = plan.data;
  const targets = p.provenance?.targets ?? [];
  return (
    <section className="panel" aria-labelledby="targets-h">
      <h2 id="targets-h">Targets of the plan, and where they came from</h2>
      <p>
        Plan <Link href={`/plan?plan=${p.id}`}>{p.name}</Link> ({p.status}).
        {p.provenance?.weights && ` Harmony weights from the priorities vote “${p.provenance.weights.name}”.`}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Economy’s own target</th>
            <th scope="col">Added by projects</th>
            <th scope="col">Plan target</th>
            <th scope="col">Planned net output</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((t) => {
            const row = p.record.products.find((x) => x.code === t.product);
            return (
              <tr key={`${t.product}-${t.period}`}>
                <th scope="row">{t.product}</th>
                <td>{fmt(t.base)}</td>
                <td>{fmt(t.total - t.base)}</td>
                <td>{fmt(row?.target[t.period - 1] ?? 0)}</td>
                <td>{fmt(row?.net[t.period - 1] ?? 0)}</td>
                <td>
                  {t.projects.map((x) => `${x.name} (${fmt(x.quantity)})`).join(', ')} — budget “
                  {t.budgetName}”, {t.voteId ? <Link href={`/votes/${t.voteId}`}>its vote</Link> : 'no vote'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function BudgetPage({ budgetId }: { budgetId: string }) {
  const { who } = useSession();
  const q = useQuery(
    () => unwrap(api.POST('/api/budget/get', { body: { id: budgetId } })),
    [budgetId, who?.person?.id],
  );
  // The planning office (closing the vote, computing the plan) needs plan on the budget's unit.
  const abilities = useAbilities(q.status === 'ok' ? [q.data.unitId] : []);
  if (q.status === 'loading') return <Loading what="the budget" />;
  if (q.status === 'error')
    return (
      <PageError
        title="Budget"
        error={q.error}
        onRetry={q.reload}
        back={{ href: '/budgets', label: 'All budgets' }}
      />
    );
  const b = q.data;
  const result = isProjectsResult(b.result) ? b.result : null;
  const votes = new Map(result?.votes.map((v) => [v.project, v.score]) ?? []);
  const selected = new Set(result?.selected ?? []);
  return (
    <section data-abilities={abilities.marker}>
      <h1>{b.name}</h1>
      <p>
        <span className="tag">{b.kind === 'priorities' ? 'priorities vote' : 'participatory budget'}</span>{' '}
        <span data-testid="budget-status">{b.status}</span>
        {b.voteId && (
          <>
            {' '}
            · <Link href={`/votes/${b.voteId}`}>the vote</Link>
          </>
        )}
      </p>
      {b.kind === 'projects' && (
        <dl>
          <dt>Pool</dt>
          <dd>
            {poolWords(b)}, delivered in period {b.settings.period}
          </dd>
          <dt>Ballot</dt>
          <dd>{BALLOT_WORDS[b.settings.ballot]}</dd>
          <dt>Rule</dt>
          <dd>{RULE_WORDS[b.settings.rule]}</dd>
        </dl>
      )}
      {b.kind === 'projects' && (
        <section className="panel" aria-labelledby="projects-h">
          <h2 id="projects-h">Projects</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Final demand</th>
                <th scope="col">Cost</th>
                <th scope="col">Status</th>
                {result && <th scope="col">Votes</th>}
                {result && <th scope="col">Chosen</th>}
              </tr>
            </thead>
            <tbody>
              {b.projects.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    {p.name} <span className="muted">({p.id})</span>
                  </th>
                  <td>{p.items.map((i) => `${fmt(i.quantity)} × ${i.product}`).join(', ')}</td>
                  <td>{fmt(p.cost)}</td>
                  <td>{p.status}</td>
                  {result && <td>{fmt(votes.get(p.id) ?? 0)}</td>}
                  {result && <td>{selected.has(p.id) ? 'chosen' : '—'}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {result && (
            <p>
              {result.ballots} ballots; chosen projects cost {fmt(result.cost)} of{' '}
              {fmt(b.settings.pool.amount)}
              {result.completion
                ? ` (Equal Shares, completed by ${result.completion})`
                : ' (greedy by votes)'}
              .
            </p>
          )}
        </section>
      )}
      {b.kind === 'priorities' && (
        <section className="panel" aria-labelledby="groups-h">
          <h2 id="groups-h">Groups</h2>
          <ul>
            {b.groups.map((g) => {
              const r =
                b.result && 'groups' in b.result ? b.result.groups.find((x) => x.id === g.id) : undefined;
              return (
                <li key={g.id}>
                  {g.name}: {g.products.join(', ')}
                  {r && ` — ${r.points} points, weight ${fmt(r.weight)}`}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {b.status === 'voting' && who?.kind === 'person' && <BallotSection budget={b} onCast={q.reload} />}
      {abilities.may(b.unitId, b.kind === 'priorities' ? 'priorities.close' : 'budget.plan') && (
        <OfficeSection budget={b} onChange={q.reload} />
      )}
      {b.planId && <PlanTargets key={b.planId} planId={b.planId} />}
    </section>
  );
}
