// An assembly: attendance against the quorum, the agenda with its documents, votes and decisions, the minutes.
import { useState } from 'react';
import { useAbilities, type Action } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import { when, type Assembly } from '../../api/participation';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading, PageError } from '../../components/ErrorNotice';

const STATUS = { planned: 'Planned', open: 'In session', closed: 'Closed' } as const;

function Attendance({ a }: { a: Assembly }) {
  const { present, electorateSize, needed, quorumMet } = a.attendance;
  if (electorateSize === null) return <p>The electorate is frozen when the assembly opens.</p>;
  return (
    <p data-testid="quorum">
      {present} of {electorateSize} members present; quorum {needed ?? 0} —{' '}
      <strong>{quorumMet ? 'quorum present' : 'no quorum yet'}</strong>.
    </p>
  );
}

export function AssemblyPage({ assemblyId }: { assemblyId: string }) {
  const { who } = useSession();
  const loaded = useQuery(
    () => unwrap(api.POST('/api/assembly/get', { body: { id: assemblyId } })),
    [assemblyId],
  );
  const [error, setError] = useState<Error | null>(null);
  const [minutes, setMinutes] = useState<string | null>(null);
  const act = async (call: () => Promise<unknown>) => {
    setError(null);
    try {
      await call();
      loaded.reload();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  // Opening, closing, putting an item to a vote and writing the minutes need govern on the assembly's unit:
  // those buttons go only to those the server would let press them; checking in is any signed-in person's.
  const abilities = useAbilities(loaded.status === 'ok' ? [loaded.data.unitId] : []);
  const may = (action: Action) => loaded.status === 'ok' && abilities.may(loaded.data.unitId, action);
  if (loaded.status === 'loading') return <Loading what="the assembly" />;
  if (loaded.status === 'error')
    return (
      <PageError
        title="Assembly"
        error={loaded.error}
        onRetry={loaded.reload}
        back={{ href: '/my', label: 'My units and their assemblies' }}
      />
    );
  const a = loaded.data;
  return (
    <section data-abilities={abilities.marker}>
      <p>
        <Link href={`/units/${a.unitId}`}>The unit</Link>
      </p>
      <h1>{a.title}</h1>
      <p>
        <span className={`status status-${a.status}`}>{STATUS[a.status]}</span> {a.kind.replace('-', ' ')},{' '}
        {when(a.scheduledFor)}.
      </p>
      <Attendance a={a} />
      {who?.kind === 'person' && (
        <p className="inline">
          {a.status === 'planned' && may('assembly.open') && (
            <button
              type="button"
              onClick={() => void act(() => unwrap(api.POST('/api/assembly/open', { body: { id: a.id } })))}
            >
              Open the assembly
            </button>
          )}
          {a.status === 'open' && (
            <>
              <button
                type="button"
                onClick={() =>
                  void act(() => unwrap(api.POST('/api/assembly/attend', { body: { id: a.id } })))
                }
              >
                Check in
              </button>{' '}
              {may('assembly.close') && (
                <button
                  type="button"
                  onClick={() =>
                    void act(() => unwrap(api.POST('/api/assembly/close', { body: { id: a.id } })))
                  }
                >
                  Close the assembly
                </button>
              )}
            </>
          )}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      <section className="panel" aria-labelledby="agenda-h">
        <h2 id="agenda-h">Agenda</h2>
        {a.items.length === 0 ? (
          <p>No items yet.</p>
        ) : (
          <ol className="agenda">
            {a.items.map((item) => (
              <li key={item.id}>
                <h3>{item.title}</h3>
                {item.body && <p>{item.body}</p>}
                {item.documents.length > 0 && (
                  <ul aria-label={`Documents of ${item.title}`}>
                    {item.documents.map((d) => (
                      <li key={d.title}>
                        {d.url ? (
                          <a href={d.url}>{d.title}</a>
                        ) : (
                          <details>
                            <summary>{d.title}</summary>
                            <p className="document-text">{d.text}</p>
                          </details>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                <p>
                  {item.outcome
                    ? `Decided: ${item.outcome}.`
                    : item.voteId
                      ? 'Put to a vote.'
                      : 'Not decided yet.'}{' '}
                  {item.voteId && <Link href={`/votes/${item.voteId}`}>The vote on “{item.title}”</Link>}
                </p>
                {a.status === 'open' && !item.voteId && !item.outcome && may('assembly.item.vote') && (
                  <button
                    type="button"
                    onClick={() =>
                      void act(() =>
                        unwrap(
                          api.POST('/api/assembly/item/vote', {
                            body: {
                              itemId: item.id,
                              title: item.title,
                              method: { type: 'proposal' },
                              hideResults: false,
                              closesAt: new Date(Date.now() + 3_600_000).toISOString(),
                            },
                          }),
                        ),
                      )
                    }
                  >
                    Put “{item.title}” to a vote of those present (one hour)
                  </button>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="panel" aria-labelledby="minutes-h">
        <h2 id="minutes-h">Minutes</h2>
        {minutes === null ? (
          <>
            <p className="minutes">{a.minutes || 'No minutes yet.'}</p>
            {a.minutesUpdatedAt && (
              <p className="muted">
                Last written by {a.minutesUpdatedBy} on {when(a.minutesUpdatedAt)}.
              </p>
            )}
            {may('assembly.minutes.set') && (
              <button type="button" onClick={() => setMinutes(a.minutes)}>
                Edit the minutes
              </button>
            )}
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act(() =>
                unwrap(api.POST('/api/assembly/minutes/set', { body: { id: a.id, minutes } })),
              ).then(() => setMinutes(null));
            }}
          >
            <label className="block-label">
              Minutes
              <textarea value={minutes} onChange={(e) => setMinutes(e.target.value)} rows={8} />
            </label>
            <button type="submit">Save the minutes</button>
          </form>
        )}
      </section>
    </section>
  );
}
