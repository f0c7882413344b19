// The votes a person can cast, and every vote on the units they may read, newest closing first.
import { api, unwrap } from '../../api/client';
import { describeMethod, STATUS_WORDS, when, type Vote } from '../../api/participation';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';

function VoteRow({ vote, voted }: { vote: Vote; voted?: boolean }) {
  return (
    <li className="vote-row">
      <Link href={`/votes/${vote.id}`}>{vote.title}</Link>{' '}
      <span className={`status status-${vote.status}`}>{STATUS_WORDS[vote.status]}</span>
      {voted !== undefined && <span className="tag">{voted ? 'you have voted' : 'you have not voted'}</span>}
      <br />
      <span className="muted">
        {describeMethod(vote.method)}{' '}
        {vote.status === 'closed'
          ? `Closed ${when(vote.closedAt ?? vote.closesAt)}${vote.result ? `: ${vote.result.explanation}` : ''}`
          : `Closes ${when(vote.closesAt)}; ${vote.ballotsCast} ballot${vote.ballotsCast === 1 ? '' : 's'} so far.`}
      </span>
    </li>
  );
}

export function VotesPage() {
  const { who } = useSession();
  const mine = useQuery(
    () =>
      who?.kind === 'person'
        ? unwrap(api.POST('/api/vote/mine', { body: { status: 'open' } })).then((r) => r.votes)
        : Promise.resolve([]),
    [who?.person?.id],
  );
  const all = useQuery(
    () => unwrap(api.POST('/api/vote/list', { body: { status: 'all', limit: 100 } })),
    [who?.person?.id],
  );
  return (
    <section>
      <h1>Votes</h1>
      <p className="muted">
        Each vote belongs to a unit; its electorate is frozen when it opens. Ballots are secret unless a vote
        says otherwise, and every ballot is published with its receipt code when the vote closes.
      </p>
      {who?.kind === 'person' && (
        <section className="panel" aria-labelledby="mine-h">
          <h2 id="mine-h">Open votes you can cast</h2>
          {mine.status === 'loading' && <Loading what="your votes" />}
          {mine.status === 'error' && <ErrorNotice error={mine.error} onRetry={mine.reload} />}
          {mine.status === 'ok' &&
            (mine.data.length === 0 ? (
              <p>No open vote is waiting for your ballot.</p>
            ) : (
              <ul className="vote-list">
                {mine.data.map((v) => (
                  <VoteRow key={v.id} vote={v} voted={v.voted} />
                ))}
              </ul>
            ))}
        </section>
      )}
      <section className="panel" aria-labelledby="all-h">
        <h2 id="all-h">All votes you may read</h2>
        {all.status === 'loading' && <Loading what="votes" />}
        {all.status === 'error' && <ErrorNotice error={all.error} onRetry={all.reload} />}
        {all.status === 'ok' &&
          (all.data.votes.length === 0 ? (
            <p>No votes yet. Those who govern a unit open votes from the unit’s page.</p>
          ) : (
            <ul className="vote-list">
              {all.data.votes.map((v) => (
                <VoteRow key={v.id} vote={v} />
              ))}
            </ul>
          ))}
      </section>
    </section>
  );
}
