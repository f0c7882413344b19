// A unit's participation: its votes, assemblies and public questions, with the ways in.
import { useAbilities } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import { STATUS_WORDS, when } from '../../api/participation';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';

export function ParticipationSection({ unitId }: { unitId: string }) {
  const loaded = useQuery(async () => {
    const [votes, assemblies, questions] = await Promise.all([
      unwrap(api.POST('/api/vote/list', { body: { unitId, status: 'all', limit: 10 } })),
      unwrap(api.POST('/api/assembly/list', { body: { unitId, limit: 5 } })),
      unwrap(api.POST('/api/question/list', { body: { unitId, limit: 5 } })),
    ]);
    return { votes: votes.votes, assemblies: assemblies.assemblies, questions: questions.questions };
  }, [unitId]);
  // The way in to open a vote is shown only to those the server would let open one (govern on the unit).
  const mayOpen = useAbilities([unitId]).may(unitId, 'vote.open');
  return (
    <section aria-labelledby="participation-h" className="panel">
      <h2 id="participation-h">Participation</h2>
      {loaded.status === 'loading' && <Loading what="votes, assemblies and questions" />}
      {loaded.status === 'error' && <ErrorNotice error={loaded.error} onRetry={loaded.reload} />}
      {loaded.status === 'ok' && (
        <div className="grid-2">
          <div>
            <h3>Votes</h3>
            {loaded.data.votes.length === 0 ? (
              <p>No votes on this unit or below.</p>
            ) : (
              <ul>
                {loaded.data.votes.map((v) => (
                  <li key={v.id}>
                    <Link href={`/votes/${v.id}`}>{v.title}</Link>{' '}
                    <span className={`status status-${v.status}`}>{STATUS_WORDS[v.status]}</span>
                  </li>
                ))}
              </ul>
            )}
            {mayOpen && (
              <p>
                <Link href={`/votes/new?unit=${unitId}`}>Open a vote on this unit</Link>
              </p>
            )}
            <h3>Assemblies</h3>
            {loaded.data.assemblies.length === 0 ? (
              <p>No assemblies.</p>
            ) : (
              <ul>
                {loaded.data.assemblies.map((a) => (
                  <li key={a.id}>
                    <Link href={`/assemblies/${a.id}`}>{a.title}</Link>{' '}
                    <span className="muted">{when(a.scheduledFor)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>Questions</h3>
            {loaded.data.questions.length === 0 ? (
              <p>No questions yet.</p>
            ) : (
              <ul>
                {loaded.data.questions.map((q) => (
                  <li key={q.id}>
                    {q.title ?? `Hidden: ${q.hiddenReason ?? ''}`}{' '}
                    <span className="muted">
                      ({q.upvotes} upvote{q.upvotes === 1 ? '' : 's'}
                      {q.answeredAt ? ', answered' : ''})
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <p>
              <Link href={`/questions?unit=${unitId}`}>Ask this unit a question, or read them all</Link>
            </p>
          </div>
        </div>
      )}
    </section>
  );
}
