// "Adopt here too": an adopted proposal taken up by another unit that runs the same technology, chosen by name
// among the units that run it, have not adopted it yet, and where the reader may adopt (the server's answer).
import { useState, type FormEvent } from 'react';
import { useAbilities } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import type { Proposal } from '../../api/improvements';
import { useQuery } from '../../api/use-query';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';

export function SpreadForm({
  p,
  act,
}: {
  p: Proposal;
  /** The card's way to run an action: it reports a refusal and reloads the proposal after. */
  act: (e: FormEvent, call: () => Promise<unknown>) => Promise<void>;
}) {
  // The technology's users that have not adopted it (the proposal lists its adoptions), again after one here.
  const adopted = p.adoptions.map((a) => a.unitId);
  const open = useQuery(async () => {
    const { users } = await unwrap(
      api.POST('/api/improvement/technology-users/get', {
        body: { economyId: p.economyId, technology: p.technology },
      }),
    );
    return users.map((u) => u.unitId).filter((id) => !adopted.includes(id));
  }, [p.economyId, p.technology, adopted.join(',')]);
  const ids = open.status === 'ok' ? open.data : [];
  const abilities = useAbilities(ids);
  const mine = ids.filter((id) => abilities.may(id, 'improvement.spread'));
  // Names of the units the reader may adopt on (they manage them, so they may read them).
  const names = useQuery(
    async () =>
      Promise.all(
        mine.map(async (id) => ({
          id,
          name: (await unwrap(api.POST('/api/holarchy/unit/get', { body: { id } }))).name,
        })),
      ),
    [mine.join(',')],
  );
  const [chosen, setChosen] = useState('');
  if (open.status === 'error') return <ErrorNotice error={open.error} onRetry={open.reload} />;
  if (open.status !== 'ok' || !ids.every((id) => abilities.settled(id)))
    return <Loading what="the units that could adopt it too" />;
  if (ids.length === 0) return <p className="muted">Every unit that runs {p.technology} has adopted it.</p>;
  // Units that could take it up but are not the reader's to decide for: said, not offered.
  if (mine.length === 0)
    return (
      <p className="muted">
        {ids.length === 1 ? 'One more unit runs' : `${ids.length} more units run`} {p.technology}; their
        managers may adopt it there too.
      </p>
    );
  if (names.status === 'error') return <ErrorNotice error={names.error} onRetry={names.reload} />;
  if (names.status !== 'ok') return <Loading what="the units that could adopt it too" />;
  const target = chosen || (names.data[0]?.id ?? '');
  return (
    <form
      aria-label={`Adopt “${p.title}” on another unit`}
      onSubmit={(e) =>
        void act(e, () =>
          unwrap(api.POST('/api/improvement/spread', { body: { id: p.id, unitId: target } })).then(() =>
            setChosen(''),
          ),
        )
      }
    >
      <label className="block-label">
        Adopt on another unit that runs {p.technology}
        <select value={target} onChange={(e) => setChosen(e.target.value)} required>
          {names.data.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Adopt here too</button>
    </form>
  );
}
