// A unit's side of planning rounds: the open round's prices and deadline, its technologies and capacities, its
// proposals so far, and the form to propose by hand.
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { navigate } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber } from '../../components/SortableTable';
import { roundsHref } from './RoundsPage';

export function UnitRoundsSection({ roundsId, unit }: { roundsId: string; unit: string | undefined }) {
  const [code, setCode] = useState(unit ?? '');
  return (
    <section className="panel" aria-labelledby="unit-rounds-h">
      <h2 id="unit-rounds-h">A unit’s answer</h2>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(roundsHref(roundsId, code.trim()));
        }}
      >
        <label htmlFor="unit-code">Unit code</label>
        <input id="unit-code" value={code} onChange={(e) => setCode(e.target.value)} />
        <button type="submit">Show the unit’s view</button>
      </form>
      {unit && <UnitView roundsId={roundsId} unit={unit} />}
    </section>
  );
}

function UnitView({ roundsId, unit }: { roundsId: string; unit: string }) {
  const view = useQuery(
    () => unwrap(api.POST('/api/planning/rounds/unit-view', { body: { roundsId, unit } })),
    [roundsId, unit],
    { keepPrevious: true },
  );
  const [levels, setLevels] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<
    { status: 'idle' } | { status: 'ok'; round: number } | { status: 'error'; error: Error }
  >({ status: 'idle' });
  if (view.status === 'loading') return <Loading what={`the view of ${unit}`} />;
  if (view.status === 'error') return <ErrorNotice error={view.error} onRetry={view.reload} />;
  const v = view.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      roundsId,
      unit,
      levels: v.technologies.map((t) => ({ technology: t.code, quantity: Number(levels[t.code] ?? '0') })),
    };
    unwrap(api.POST('/api/planning/rounds/propose', { body })).then(
      (p) => {
        setSent({ status: 'ok', round: p.round });
        view.reload();
      },
      (error: unknown) =>
        setSent({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  };
  return (
    <div>
      <p>
        {v.current === null
          ? `The rounds are ${v.status}: no round is open.`
          : `Round ${v.current} is open until ${v.deadline ? new Date(v.deadline).toLocaleString() : '—'}.`}
      </p>
      <div className="table-wrap">
        <table data-testid="prices-table">
          <caption>Prices published for this round (hours per unit)</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Price</th>
            </tr>
          </thead>
          <tbody>
            {v.prices.map((p) => (
              <tr key={`${p.kind}:${p.code}`}>
                <td>
                  {p.kind} {p.code}
                </td>
                <td>{formatNumber(p.price)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {v.current !== null && (
        <form onSubmit={submit} aria-labelledby="proposal-h" data-testid="proposal-form">
          <h3 id="proposal-h">
            Proposal of {unit} for round {v.current}
          </h3>
          {v.technologies.map((t) => (
            <div key={t.code} className="field">
              <label htmlFor={`level-${t.code}`}>
                Output of {t.code} ({t.product})
                {t.capacity === null ? '' : `, capacity ${formatNumber(t.capacity)}`}
              </label>
              <input
                id={`level-${t.code}`}
                type="number"
                min={0}
                step="any"
                value={levels[t.code] ?? ''}
                onChange={(e) => setLevels({ ...levels, [t.code]: e.target.value })}
              />
            </div>
          ))}
          <button type="submit">Send the proposal</button>
        </form>
      )}
      {sent.status === 'ok' && (
        <p role="status" data-testid="proposal-sent">
          Proposal for round {sent.round} received.
        </p>
      )}
      {sent.status === 'error' && <ErrorNotice error={sent.error} />}
      <div className="table-wrap">
        <table data-testid="unit-proposals">
          <caption>Proposals of {unit}, round by round</caption>
          <thead>
            <tr>
              <th scope="col">Round</th>
              <th scope="col">How</th>
              <th scope="col">Levels</th>
            </tr>
          </thead>
          <tbody>
            {v.proposals.map((p) => (
              <tr key={`${p.round}`}>
                <td>{p.round}</td>
                <td>
                  {p.source}
                  {p.kind === 'ray' ? ' (any scale)' : ''}
                </td>
                <td>
                  {Object.entries(p.levels)
                    .map(([k, x]) => `${k} ${formatNumber(x)}`)
                    .join(', ') || 'nothing'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
