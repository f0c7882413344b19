// One proposal: its changes, where it stands and when it climbs, its timeline, adoptions and savings, and the
// actions of reviewers, the author and other units that run the same technology.
import { useState, type FormEvent } from 'react';
import type { GrantUnit } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import { EVENT_WORDS, hours, PROPOSAL_STATUS_WORDS, type Proposal } from '../../api/improvements';
import { when } from '../../api/participation';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { SpreadForm } from './SpreadForm';

const OPEN = ['filed', 'acknowledged', 'on-trial', 'appealed'];

function Timeline({ id, version }: { id: string; version: string }) {
  const events = useQuery(
    () => unwrap(api.POST('/api/improvement/timeline', { body: { id } })),
    [id, version],
  );
  // A timeline that failed to load says so (it used to vanish without a word).
  if (events.status === 'error') return <ErrorNotice error={events.error} onRetry={events.reload} />;
  if (events.status !== 'ok') return <Loading what="the timeline" />;
  return (
    <ol aria-label="Timeline" className="timeline">
      {events.data.events.map((e, i) => (
        <li key={i}>
          {when(e.at)}: {e.actorName} {EVENT_WORDS[e.kind]} (level {e.level.depth})
          {e.reason ? ` — “${e.reason}”` : ''}
        </li>
      ))}
    </ol>
  );
}

export function ProposalCard({
  p,
  names,
  onChange,
  mayReview,
  spreadUnits,
}: {
  p: Proposal;
  names: (id: string) => string;
  onChange: () => void;
  /** Whether the server would let this reader acknowledge, trial or decide it (manage where it stands). */
  mayReview: boolean;
  /**
   * Units of the reader's grants where they may adopt a proposal (manage); empty: the form is not offered (the
   * form itself offers the technology's users among them or below them).
   */
  spreadUnits: GrantUnit[];
}) {
  const { who } = useSession();
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<'adopt' | 'reject'>('adopt');
  const [until, setUntil] = useState('');
  const [comment, setComment] = useState('');
  // Comments made from this card: a comment changes no field of the proposal, so the timeline's key counts them.
  const [commented, setCommented] = useState(0);
  const [error, setError] = useState<Error | null>(null);
  const act = async (e: FormEvent | null, call: () => Promise<unknown>) => {
    e?.preventDefault();
    setError(null);
    try {
      await call();
      setReason('');
      setComment('');
      onChange();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  const signedIn = who?.kind === 'person';
  const isAuthor = signedIn && who.person?.id === p.authorId;
  const phase = p.phase === 'acknowledge' ? 'acknowledged' : 'decided';
  return (
    <article className="question" aria-labelledby={`p-${p.id}`} data-proposal-id={p.id}>
      <h2 id={`p-${p.id}`}>{p.title}</h2>
      <p>
        <strong>{PROPOSAL_STATUS_WORDS[p.status]}</strong> · technology {p.technology} · filed by{' '}
        {p.authorName} on {names(p.unitId)}, {when(p.filedAt)}
      </p>
      {p.body && <p>{p.body}</p>}
      <p className="muted">
        {p.level.unitId !== p.unitId
          ? `Now stands at ${names(p.level.unitId)} (level ${p.level.depth}). `
          : ''}
        {p.escalateDueAt
          ? `Must be ${phase} by ${when(p.escalateDueAt)}, or it climbs to the unit above.`
          : OPEN.includes(p.status)
            ? 'It stands at the root: nobody above it.'
            : ''}
      </p>
      <table>
        <caption>Proposed coefficients (per unit of output)</caption>
        <thead>
          <tr>
            <th scope="col">Coefficient</th>
            <th scope="col">Was</th>
            <th scope="col">Proposed</th>
          </tr>
        </thead>
        <tbody>
          {p.changes.map((c) => (
            <tr key={`${c.kind}:${c.item}`}>
              <td>
                {c.kind} {c.item}
              </td>
              <td>{c.from.toPrecision(4)}</td>
              <td>{c.to.toPrecision(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.decision && (
        <p>
          Decision by {p.decision.byName}
          {p.decision.onAppeal ? ' on appeal' : ''}: “{p.decision.reason}”
        </p>
      )}
      {p.adoptions.length > 0 && (
        <table>
          <caption>Where it is used and what it saved: {hours(p.labourSaved)} hours in all</caption>
          <thead>
            <tr>
              <th scope="col">Unit</th>
              <th scope="col">Share of the technology</th>
              <th scope="col">Labour saved (hours)</th>
              <th scope="col">Technology version</th>
            </tr>
          </thead>
          <tbody>
            {p.adoptions.map((a) => (
              <tr key={a.id}>
                <td>{names(a.unitId)}</td>
                <td>{Math.round(a.share * 100)} %</td>
                <td>{hours(a.labourSaved)}</td>
                <td>
                  {a.fromVersion} → {a.toVersion}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>Timeline of deadlines and escalation</summary>
        <Timeline id={p.id} version={`${p.status}:${p.level.depth}:${p.adoptions.length}:${commented}`} />
      </details>
      {signedIn && OPEN.includes(p.status) && (
        // Anyone who reads the proposal may comment on it (improvement.comment needs read); the review below
        // is for the managers where it stands.
        <form
          aria-label={`Comment on “${p.title}”`}
          onSubmit={(e) =>
            void act(e, () =>
              unwrap(api.POST('/api/improvement/comment', { body: { id: p.id, text: comment } })).then(() =>
                setCommented((n) => n + 1),
              ),
            )
          }
        >
          <label className="block-label">
            Comment
            <input value={comment} onChange={(e) => setComment(e.target.value)} required />
          </label>
          <button type="submit">Add the comment</button>
        </form>
      )}
      {mayReview && OPEN.includes(p.status) && (
        <details className="official">
          <summary>Review (managers where it stands)</summary>
          {p.status === 'filed' && (
            <button
              type="button"
              onClick={() =>
                void act(null, () => unwrap(api.POST('/api/improvement/acknowledge', { body: { id: p.id } })))
              }
            >
              Acknowledge “{p.title}”
            </button>
          )}
          <form
            onSubmit={(e) =>
              void act(e, () =>
                unwrap(api.POST('/api/improvement/trial', { body: { id: p.id, until, reason } })),
              )
            }
          >
            <label className="block-label">
              Trial until
              <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} required />
            </label>
            <button type="submit">Ask for a trial</button>
          </form>
          <form
            onSubmit={(e) =>
              void act(e, () =>
                unwrap(api.POST('/api/improvement/decide', { body: { id: p.id, outcome, reason } })),
              )
            }
          >
            <label className="block-label">
              Decision{' '}
              <select value={outcome} onChange={(e) => setOutcome(e.target.value as 'adopt' | 'reject')}>
                <option value="adopt">Adopt</option>
                <option value="reject">Reject</option>
              </select>
            </label>
            <label className="block-label">
              Reasons
              <input value={reason} onChange={(e) => setReason(e.target.value)} required />
            </label>
            <button type="submit">Decide</button>
          </form>
        </details>
      )}
      {isAuthor && p.status === 'rejected' && !p.appealedAt && (
        <form
          onSubmit={(e) =>
            void act(e, () => unwrap(api.POST('/api/improvement/appeal', { body: { id: p.id, reason } })))
          }
        >
          <label className="block-label">
            Why the unit above should decide again
            <input value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <button type="submit">Appeal once</button>
        </form>
      )}
      {spreadUnits.length > 0 && (p.status === 'adopted' || p.status === 'adopted-in-part') && (
        <SpreadForm p={p} act={act} />
      )}
      {error && <ErrorNotice error={error} />}
    </article>
  );
}
