// Rationalization proposals: file one on your unit, follow its deadlines and climb, review, and see what each
// adopted improvement saved where it is used.
import { useRef, useState, type FormEvent } from 'react';
import { grantUnitsWhere, useAbilities } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { ProposalCard } from './ProposalCard';

type Kind = 'input' | 'labour' | 'resource';

function FileForm({ unitId, onFiled }: { unitId: string; onFiled: () => void }) {
  const economies = useQuery(() => unwrap(api.POST('/api/economy/list', { body: {} })), []);
  const [technology, setTechnology] = useState('');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [kind, setKind] = useState<Kind>('input');
  const [item, setItem] = useState('');
  const [perUnit, setPerUnit] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const economyId = economies.status === 'ok' ? (economies.data.economies[0]?.id ?? '') : '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await unwrap(
        api.POST('/api/improvement/file', {
          body: {
            unitId,
            economyId,
            technology,
            title,
            body,
            changes: [{ kind, item, perUnit: Number(perUnit) }],
            attachments: [],
          },
        }),
      );
      setTitle('');
      setBody('');
      onFiled();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <form className="form-grid panel" aria-label="File a proposal" onSubmit={(e) => void submit(e)}>
      <label>
        Technology (code)
        <input value={technology} onChange={(e) => setTechnology(e.target.value)} required />
      </label>
      <label>
        What to change
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
      </label>
      <label>
        Details
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={3} />
      </label>
      <label>
        Coefficient{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <option value="input">Input (a product)</option>
          <option value="labour">Labour (a skill)</option>
          <option value="resource">Capacity use (a resource)</option>
        </select>
      </label>
      <label>
        Product, skill or resource code
        <input value={item} onChange={(e) => setItem(e.target.value)} required />
      </label>
      <label>
        New amount per unit of output
        <input
          type="number"
          step="any"
          min="0"
          value={perUnit}
          onChange={(e) => setPerUnit(e.target.value)}
          required
        />
      </label>
      {error && <ErrorNotice error={error} />}
      <button type="submit" disabled={!economyId}>
        File the proposal
      </button>
    </form>
  );
}

export function ImprovementsPage({ unitId }: { unitId: string | undefined }) {
  const { who } = useSession();
  const [status, setStatus] = useState<'all' | 'open' | 'adopted'>('all');
  const list = useQuery(
    () =>
      unwrap(
        api.POST('/api/improvement/list', { body: { status, limit: 100, ...(unitId ? { unitId } : {}) } }),
      ),
    [unitId, status, who?.person?.id],
    // Reloading after an action keeps the cards mounted: an open timeline or a half-typed reason stays as it
    // was (before, every card unmounted and came back closed while the list reloaded).
    { keepPrevious: true },
  );
  // The review (acknowledge, trial, decide) is offered only where the reader manages the level it stands at.
  const grants = who?.kind === 'person' ? who.grants : [];
  const abilities = useAbilities([
    ...(list.status === 'ok' ? list.data.proposals.map((p) => p.level.unitId) : []),
    ...grants.map((g) => g.unitId),
  ]);
  // Adopting elsewhere needs manage on the adopting unit: offered to those who manage a unit of their grants.
  const spreadUnits = grantUnitsWhere(grants, abilities, 'improvement.spread');
  const cache = useRef(new Map<string, string>());
  const ids =
    list.status === 'ok'
      ? [
          ...new Set(
            list.data.proposals.flatMap((p) => [
              p.unitId,
              p.level.unitId,
              ...p.adoptions.map((a) => a.unitId),
            ]),
          ),
        ]
      : [];
  const names = useQuery(async () => {
    for (const id of ids) {
      if (cache.current.has(id)) continue;
      const unit = await unwrap(api.POST('/api/holarchy/unit/get', { body: { id } })).catch(() => null);
      cache.current.set(id, unit ? unit.name : id);
    }
    return cache.current;
  }, [ids.join(',')]);
  const nameOf = (id: string) => (names.status === 'ok' ? (names.data.get(id) ?? id) : id);
  return (
    <section>
      <h1>Improvements</h1>
      <p className="muted">
        A worker files a rationalization proposal on their unit: a change of a technology&apos;s coefficients.
        The unit acknowledges it within 5 days and decides within 15; past a deadline it climbs to the unit
        above. An adopted proposal makes a new version of the technology, and every unit that runs the
        technology can adopt it too. The labour each adoption saves is credited to the author.
      </p>
      {unitId && who?.kind === 'person' ? (
        <FileForm unitId={unitId} onFiled={list.reload} />
      ) : (
        <p>To file a proposal, sign in and open this page from your unit.</p>
      )}
      <p className="inline">
        <label>
          Show{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as 'all' | 'open' | 'adopted')}>
            <option value="all">All proposals</option>
            <option value="open">Waiting for a decision</option>
            <option value="adopted">Adopted</option>
          </select>
        </label>
      </p>
      {list.status === 'loading' && <Loading what="proposals" />}
      {list.status === 'error' && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' &&
        (list.data.proposals.length === 0 ? (
          <p>No proposals yet.</p>
        ) : (
          list.data.proposals.map((p) => (
            <ProposalCard
              key={p.id}
              p={p}
              names={nameOf}
              onChange={list.reload}
              mayReview={abilities.may(p.level.unitId, 'improvement.decide')}
              spreadUnits={spreadUnits}
            />
          ))
        ))}
    </section>
  );
}
