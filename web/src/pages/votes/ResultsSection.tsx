// The result of a vote: the outcome in words, quorum and share, and for ranked counts every round as a chart,
// a table and sentences.
import { useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import type { Vote } from '../../api/participation';
import { useQuery } from '../../api/use-query';
import { EChart } from '../../charts/EChart';
import { roundSentences, roundsOf, roundsOption } from '../../charts/rounds-chart';
import { TableWrap } from '../../components/TableWrap';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';

export function ResultsSection({ vote }: { vote: Vote }) {
  const loaded = useQuery(
    () => unwrap(api.POST('/api/vote/results', { body: { id: vote.id } })),
    [vote.id, vote.ballotsCast, vote.status],
  );
  const names = useMemo(() => new Map(vote.candidates.map((c) => [c.id, c.name])), [vote.candidates]);
  const name = (id: string) => names.get(id) ?? id;
  const rounds = loaded.status === 'ok' ? roundsOf(loaded.data.result.tally) : null;
  const option = useMemo(() => (rounds ? roundsOption(rounds, name) : null), [rounds]);
  if (loaded.status === 'loading') return <Loading what="the results" />;
  if (loaded.status === 'error') return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  const { final, result } = loaded.data;
  const sentences = rounds ? roundSentences(rounds, name) : [];
  return (
    <section className="panel" aria-labelledby="results-h">
      <h2 id="results-h">{final ? 'Result' : 'Running count (the vote is still open)'}</h2>
      <p className="outcome" data-outcome={result.outcome}>
        <strong>{result.explanation}</strong>
      </p>
      <ul className="facts">
        <li>
          {result.ballots} ballot{result.ballots === 1 ? '' : 's'} counted
          {result.paperBallots > 0 ? ` (${result.paperBallots} on paper)` : ''} of an electorate of{' '}
          {result.electorateSize}; quorum {result.quorum.needed} — {result.quorum.met ? 'met' : 'not met'}.
        </li>
        {result.share && (
          <li>
            Share: {result.share.part} of {result.share.whole};{' '}
            {result.share.needed.rule === 'more-than' ? 'more than' : 'at least'} {result.share.needed.share}{' '}
            needed — {result.share.met ? 'met' : 'not met'}.
          </li>
        )}
      </ul>
      {rounds && option && (
        <figure className="rounds">
          <EChart
            kind="bar"
            option={option}
            height={320}
            label={`Votes per candidate in each round of ${vote.title}`}
            summaryId={`rounds-${vote.id}-summary`}
            testId="rounds-chart"
          />
          <figcaption id={`rounds-${vote.id}-summary`}>
            {rounds.length} round{rounds.length === 1 ? '' : 's'}. {sentences.join(' ')}
          </figcaption>
          <TableWrap>
            <table>
              <caption>Votes per round</caption>
              <thead>
                <tr>
                  <th scope="col">Candidate</th>
                  {rounds.map((r) => (
                    <th scope="col" key={r.round}>
                      Round {r.round}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {vote.candidates.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.name}</th>
                    {rounds.map((r) => (
                      <td key={r.round}>{r.tally.find((t) => t.candidate === c.id)?.votes ?? '—'}</td>
                    ))}
                  </tr>
                ))}
                <tr>
                  <th scope="row">Inactive ballots</th>
                  {rounds.map((r) => (
                    <td key={r.round}>
                      {Object.values(r.inactive)
                        .reduce((s, v) => s + Number(v), 0)
                        .toString()}
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          </TableWrap>
        </figure>
      )}
    </section>
  );
}
