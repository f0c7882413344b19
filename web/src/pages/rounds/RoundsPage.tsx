// Planning rounds: the gap falling round by round, each round's prices and proposals, and a unit's own view
// with the proposal form.
import { useMemo, useState } from 'react';
import { api, unwrap, type OpOutput } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { navigate } from '../../app/router';
import { EChart } from '../../charts/EChart';
import { gapOption, gapSentence } from '../../charts/gap-chart';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { formatNumber } from '../../components/SortableTable';
import { UnitRoundsSection } from './UnitRoundsSection';

type RoundsRow = OpOutput<'planning.rounds.list'>['rounds'][number];
type Record_ = OpOutput<'planning.rounds.get'>;

export function roundsHref(roundsId?: string, unit?: string): string {
  const q = new URLSearchParams();
  if (roundsId) q.set('rounds', roundsId);
  if (unit) q.set('unit', unit);
  const s = q.toString();
  return s ? `/rounds?${s}` : '/rounds';
}

const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
const describe = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join(', ') || '—';

export function RoundsPage({ roundsId, unit }: { roundsId: string | undefined; unit: string | undefined }) {
  const listed = useQuery(async () => {
    const { economies } = await unwrap(api.POST('/api/economy/list', { body: {} }));
    const all: RoundsRow[] = [];
    for (const e of economies) {
      const { rounds } = await unwrap(
        api.POST('/api/planning/rounds/list', { body: { economyId: e.id } }),
      ).catch(() => ({ rounds: [] as RoundsRow[] }));
      all.push(...rounds);
    }
    return all;
  }, []);
  if (listed.status === 'loading') return <Loading what="the planning rounds" />;
  if (listed.status === 'error') return <ErrorNotice error={listed.error} onRetry={listed.reload} />;
  const rounds = listed.data;
  const chosen = rounds.find((r) => r.id === roundsId) ?? rounds[0];
  return (
    <section>
      <h1>Planning rounds</h1>
      {roundsId && chosen?.id !== roundsId && (
        <p className="notice notice-error" role="alert">
          The planning rounds in this address are not ones you may read (or no longer exist)
          {chosen ? `; showing ${chosen.name}` : ''}.
        </p>
      )}
      {rounds.length === 0 ? (
        <p>There are no planning rounds you may read.</p>
      ) : (
        <div className="inline">
          <label htmlFor="rounds-pick">Rounds</label>
          <select
            id="rounds-pick"
            value={chosen?.id ?? ''}
            onChange={(e) => navigate(roundsHref(e.target.value, unit))}
          >
            {rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.status})
              </option>
            ))}
          </select>
        </div>
      )}
      {chosen && <RecordSection rounds={chosen} />}
      {chosen && <UnitRoundsSection roundsId={chosen.id} unit={unit} />}
    </section>
  );
}

function RecordSection({ rounds }: { rounds: RoundsRow }) {
  const [shown, setShown] = useState<number | undefined>(undefined);
  const loaded = useQuery(
    () => unwrap(api.POST('/api/planning/rounds/get', { body: { roundsId: rounds.id } })),
    [rounds.id],
  );
  const round =
    shown ?? (loaded.status === 'ok' ? (loaded.data.rounds.filter((r) => r.closedAt).at(-1)?.round ?? 1) : 1);
  const detail = useQuery(
    () => unwrap(api.POST('/api/planning/rounds/get', { body: { roundsId: rounds.id, round } })),
    [rounds.id, round],
    { keepPrevious: true },
  );
  const points = useMemo(
    () =>
      loaded.status === 'ok'
        ? loaded.data.rounds.filter((r) => r.closedAt !== null).map((r) => ({ round: r.round, gap: r.gap }))
        : [],
    [loaded],
  );
  if (loaded.status === 'loading') return <Loading what="the record of the rounds" />;
  if (loaded.status === 'error')
    return (
      <section className="panel" aria-labelledby="record-h">
        <h2 id="record-h">The record</h2>
        <p>The whole record is for the planning office and auditors; a unit sees its own view below.</p>
        <ErrorNotice error={loaded.error} />
      </section>
    );
  const record: Record_ = loaded.data;
  const step = detail.status === 'ok' ? detail.data.rounds.find((r) => r.round === round) : undefined;
  return (
    <section className="panel" aria-labelledby="record-h">
      <h2 id="record-h">The record</h2>
      <p>
        Status: <strong data-testid="rounds-status">{record.status}</strong>
        {record.current !== null ? ` — round ${record.current} is open for proposals` : ''}.{' '}
        {record.units.length} units; tolerance {record.tolerance}.
      </p>
      <figure className="rounds">
        <EChart
          kind="line"
          option={gapOption(points, record.tolerance)}
          height={260}
          label={`Gap between the best plan and the bound, round by round, in ${record.name}`}
          summaryId="gap-summary"
          testId="gap-chart"
        />
        <figcaption id="gap-summary">{gapSentence(points, record.tolerance)}</figcaption>
      </figure>
      <div className="table-wrap">
        <table data-testid="rounds-table">
          <caption>Every round: bound, best plan and gap (hours of labour)</caption>
          <thead>
            <tr>
              <th scope="col">Round</th>
              <th scope="col">Bound</th>
              <th scope="col">Best plan</th>
              <th scope="col">Shortfall</th>
              <th scope="col">Gap</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {record.rounds.map((r) => (
              <tr key={r.round}>
                <td>{r.round}</td>
                <td>{r.bound === null ? '—' : formatNumber(r.bound)}</td>
                <td>{r.bestObjective === null ? '—' : formatNumber(r.bestObjective)}</td>
                <td>{r.shortfall === null ? '—' : formatNumber(r.shortfall)}</td>
                <td>{r.gap === null ? (r.closedAt ? 'not yet defined' : 'open') : r.gap.toExponential(2)}</td>
                <td>
                  <button type="button" onClick={() => setShown(r.round)} aria-pressed={r.round === round}>
                    Show round {r.round}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {step && (
        <div className="table-wrap">
          <table data-testid="proposals-table">
            <caption>Round {step.round}: each unit’s proposal (outputs, inputs and labour by skill)</caption>
            <thead>
              <tr>
                <th scope="col">Unit</th>
                <th scope="col">How</th>
                <th scope="col">Outputs</th>
                <th scope="col">Inputs</th>
                <th scope="col">Labour (hours)</th>
              </tr>
            </thead>
            <tbody>
              {step.proposals.map((p) => (
                <tr key={p.unit}>
                  <td>{p.unit}</td>
                  <td>
                    {p.source === 'kept' ? `kept from round ${p.madeIn}` : p.source}
                    {p.kind === 'ray' ? ' (any scale)' : ''}
                  </td>
                  <td>{describe(p.outputs)}</td>
                  <td>{describe(p.inputs)}</td>
                  <td>{formatNumber(sum(p.labour))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
