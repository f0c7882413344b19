// Opening a vote on a unit: the question, the ballot type, the candidates, the times and the secrecy.
import { useState, type FormEvent } from 'react';
import { useAbilities } from '../../api/abilities';
import { api, unwrap, type OpInput } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link, navigate } from '../../app/router';
import { ErrorNotice, Loading, PageError } from '../../components/ErrorNotice';

type Method = OpInput<'vote.open'>['method'];
const TYPES: [Method['type'], string][] = [
  ['proposal', 'Proposal (agree, abstain, disagree, block)'],
  ['consent', 'Consent (passes unless blocked)'],
  ['irv', 'Ranked choice, one winner (instant runoff)'],
  ['stv', 'Ranked choice, several winners (STV)'],
  ['meek', 'Ranked choice, several winners (Meek)'],
  ['schulze', 'Condorcet (Schulze)'],
  ['approval', 'Approval'],
  ['score', 'Score'],
  ['star', 'STAR'],
];

function slug(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 36) || 'c';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

export function OpenVoteForm({ unitId }: { unitId: string }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState<Method['type']>('proposal');
  const [names, setNames] = useState('');
  const [seats, setSeats] = useState(2);
  const [days, setDays] = useState(7);
  const [anonymous, setAnonymous] = useState(true);
  const [allowChanges, setAllowChanges] = useState(false);
  const [hideResults, setHideResults] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const positional = type === 'proposal' || type === 'consent';
  const several = type === 'stv' || type === 'meek';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const taken = new Set<string>();
    const candidates = positional
      ? []
      : names
          .split('\n')
          .map((n) => n.trim())
          .filter(Boolean)
          .map((name) => ({ id: slug(name, taken), name }));
    const method = (several ? { type, seats } : { type }) as Method;
    try {
      const vote = await unwrap(
        api.POST('/api/vote/open', {
          body: {
            unitId,
            title,
            description,
            method,
            candidates,
            anonymous,
            allowChanges,
            hideResults,
            closesAt: new Date(Date.now() + days * 86_400_000).toISOString(),
          },
        }),
      );
      navigate(`/votes/${vote.id}`);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  // Which unit the vote is on, said before anything is typed; an address with no unit, or one the reader may
  // not open a vote on, says so instead of a form the server would refuse.
  const unit = useQuery(
    async () => (unitId ? unwrap(api.POST('/api/holarchy/unit/get', { body: { id: unitId } })) : null),
    [unitId],
  );
  const abilities = useAbilities([unitId]);
  const { who } = useSession();
  if (!unitId)
    return (
      <section>
        <h1>Open a vote</h1>
        <p className="notice" role="status">
          A vote is opened on a unit: open its page (<Link href="/holarchy">the holarchy</Link>) and choose{' '}
          <em>Open a vote on this unit</em> under Participation.
        </p>
      </section>
    );
  if (unit.status === 'loading' || !abilities.settled(unitId)) return <Loading what="the unit" />;
  if (unit.status === 'error')
    return (
      <PageError
        title="Open a vote"
        error={unit.error}
        onRetry={unit.reload}
        back={{ href: '/votes', label: 'All votes' }}
      />
    );
  if (unit.data === null) return null;
  if (!abilities.may(unitId, 'vote.open'))
    return (
      <section>
        <h1>Open a vote on {unit.data.name}</h1>
        <p className="notice" role="status">
          Opening a vote on {unit.data.name} takes a role that governs it (a manager or planner of it or of a
          unit above it);{' '}
          {who?.kind === 'person' ? (
            'yours do not.'
          ) : (
            <>
              <Link href={`/signin?next=${encodeURIComponent(`/votes/new?unit=${unitId}`)}`}>sign in</Link> if
              you hold one.
            </>
          )}{' '}
          <Link href={`/units/${unitId}`}>Back to {unit.data.name}</Link>
        </p>
      </section>
    );
  return (
    <section>
      <h1>Open a vote on {unit.data.name}</h1>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <label>
          Question
          <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
        </label>
        <label>
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} />
        </label>
        <label>
          Ballot type
          <select value={type} onChange={(e) => setType(e.target.value as Method['type'])}>
            {TYPES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {!positional && (
          <label>
            Candidates, one per line
            <textarea value={names} onChange={(e) => setNames(e.target.value)} rows={4} required />
          </label>
        )}
        {several && (
          <label>
            Seats
            <input type="number" min={1} value={seats} onChange={(e) => setSeats(Number(e.target.value))} />
          </label>
        )}
        <label>
          Open for (days)
          <input
            type="number"
            min={1}
            max={365}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
        </label>
        <label className="choice">
          <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />{' '}
          Secret ballot
        </label>
        <label className="choice">
          <input type="checkbox" checked={allowChanges} onChange={(e) => setAllowChanges(e.target.checked)} />{' '}
          A voter may change their ballot while the vote is open
        </label>
        <label className="choice">
          <input type="checkbox" checked={hideResults} onChange={(e) => setHideResults(e.target.checked)} />{' '}
          Hide the running count until the vote closes
        </label>
        {error && <ErrorNotice error={error} />}
        <button type="submit">Open the vote</button>
      </form>
    </section>
  );
}
