// One vote: what is decided and how, the ballot for those in its electorate, and the result round by round.
import { api, unwrap } from '../../api/client';
import { describeMethod, STATUS_WORDS, when, type Vote } from '../../api/participation';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { BallotForm } from './BallotForm';
import { ReceiptCheck } from './ReceiptCheck';
import { ResultsSection } from './ResultsSection';

function quorumWords(v: Vote): string {
  const q = v.quorum;
  if (q.kind === 'none') return 'No quorum.';
  if (q.kind === 'count') return `Quorum: ${q.count} ballots.`;
  return `Quorum: ${q.share} of the electorate.`;
}

export function VotePage({ voteId }: { voteId: string }) {
  const { who } = useSession();
  const loaded = useQuery(async () => {
    // A person gets the vote and whether it is theirs to vote in at once (a reader outside the electorate too).
    if (who?.kind === 'person')
      return await unwrap(api.POST('/api/vote/ballot-paper', { body: { id: voteId } }));
    const vote = await unwrap(api.POST('/api/vote/get', { body: { id: voteId } }));
    return { vote, inElectorate: false, voted: false };
  }, [voteId, who?.person?.id]);
  if (loaded.status === 'loading') return <Loading what="the vote" />;
  if (loaded.status === 'error')
    return (
      <section>
        <h1>Vote</h1>
        <ErrorNotice error={loaded.error} onRetry={loaded.reload} />
        <p>
          <Link href="/votes">All votes</Link>
        </p>
      </section>
    );
  const { vote, inElectorate, voted } = loaded.data;
  const showResults = vote.status === 'closed' || (vote.status === 'open' && !vote.hideResults);
  return (
    <section>
      <p>
        <Link href="/votes">All votes</Link> · <Link href={`/units/${vote.unitId}`}>The unit</Link>
        {vote.assemblyId && (
          <>
            {' '}
            · <Link href={`/assemblies/${vote.assemblyId}`}>The assembly</Link>
          </>
        )}
      </p>
      <h1>{vote.title}</h1>
      <p>
        <span className={`status status-${vote.status}`}>{STATUS_WORDS[vote.status]}</span>{' '}
        {vote.status === 'scheduled' && `Opens ${when(vote.opensAt)}; `}
        {vote.status === 'closed'
          ? `Closed ${when(vote.closedAt ?? vote.closesAt)}.`
          : `Closes ${when(vote.closesAt)}.`}
      </p>
      {vote.description && <p className="vote-description">{vote.description}</p>}
      <ul className="facts">
        <li>{describeMethod(vote.method)}</li>
        <li>
          {vote.electorateSize === null
            ? 'The electorate is frozen when the vote opens.'
            : `${vote.ballotsCast} of ${vote.electorateSize} have voted.`}{' '}
          {quorumWords(vote)}
        </li>
        <li>
          {vote.anonymous
            ? 'Secret ballot: who voted and what was voted are stored apart, with nothing that links them.'
            : 'Named ballot: each ballot is published with the name of who cast it.'}{' '}
          {vote.hideResults ? 'Results are hidden until the vote closes.' : 'The running count is visible.'}
        </li>
      </ul>
      {vote.status === 'open' && inElectorate && (
        <section className="panel" aria-labelledby="ballot-h">
          <h2 id="ballot-h">Your ballot</h2>
          <BallotForm vote={vote} voted={voted} onCast={loaded.reload} />
        </section>
      )}
      {vote.status === 'open' && !inElectorate && (
        <p className="muted">
          {who?.kind === 'person'
            ? 'You are not in the electorate of this vote (it was frozen when the vote opened).'
            : 'Sign in to vote, if you are in the electorate.'}
        </p>
      )}
      {showResults && <ResultsSection vote={vote} />}
      {vote.status === 'closed' && <ReceiptCheck voteId={vote.id} />}
    </section>
  );
}
