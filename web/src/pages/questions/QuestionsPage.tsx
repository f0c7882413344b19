// Public questions: ask a unit, upvote once, answers in public with their history, the climb, moderation in public.
import { useState, type FormEvent } from 'react';
import { useAbilities } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import { when, type Question } from '../../api/participation';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';

function QuestionCard({
  q,
  onChange,
  mayAnswer,
  mayModerate,
}: {
  q: Question;
  onChange: () => void;
  /** What the server would accept from this reader on the question's unit (access.abilities). */
  mayAnswer: boolean;
  mayModerate: boolean;
}) {
  const { who } = useSession();
  const [answer, setAnswer] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const act = async (call: () => Promise<unknown>) => {
    setError(null);
    try {
      await call();
      setAnswer('');
      setReason('');
      onChange();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  const climbed = q.level.unitId !== q.unitId;
  const signedIn = who?.kind === 'person';
  return (
    <article className="question" aria-labelledby={`q-${q.id}`} data-question-id={q.id}>
      <h2 id={`q-${q.id}`}>{q.hidden ? `Hidden by moderation: ${q.hiddenReason ?? ''}` : q.title}</h2>
      {q.body && <p>{q.body}</p>}
      <p className="muted">
        Asked by {q.askerName} on {when(q.askedAt)} · {q.upvotes} upvote{q.upvotes === 1 ? '' : 's'}
        {climbed ? ` · climbed to level ${q.level.depth} for want of an answer` : ''}
        {q.escalateDueAt ? ` · climbs further at ${when(q.escalateDueAt)} unless answered` : ''}
        {q.answeredAt ? ` · answered ${when(q.answeredAt)}` : ''}
      </p>
      {q.answers.map((a) => (
        <div key={a.id} className="answer">
          <p>
            <strong>{a.authorName}</strong> answered: {a.body}
          </p>
          {a.version > 1 && (
            <details>
              <summary>Edited: {a.version} versions</summary>
              <ol>
                {a.revisions.map((r) => (
                  <li key={r.version}>
                    {when(r.editedAt)}, {r.editedBy}: {r.body}
                  </li>
                ))}
              </ol>
            </details>
          )}
        </div>
      ))}
      {signedIn && !q.hidden && (
        <div className="inline">
          <button
            type="button"
            disabled={q.upvotedByMe}
            onClick={() => void act(() => unwrap(api.POST('/api/question/upvote', { body: { id: q.id } })))}
          >
            {q.upvotedByMe ? 'You upvoted this' : `Upvote “${q.title ?? ''}”`}
          </button>
        </div>
      )}
      {(mayAnswer || mayModerate) && (
        <details className="official">
          <summary>
            {mayAnswer && mayModerate ? 'Answer or moderate' : mayAnswer ? 'Answer' : 'Moderate'}
          </summary>
          {mayAnswer && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void act(() =>
                  unwrap(api.POST('/api/question/answer', { body: { id: q.id, body: answer } })),
                );
              }}
            >
              <label className="block-label">
                Answer in public
                <textarea value={answer} onChange={(e) => setAnswer(e.target.value)} rows={3} required />
              </label>
              <button type="submit">Publish the answer</button>
            </form>
          )}
          {mayModerate && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const path = q.hidden ? '/api/question/show' : '/api/question/hide';
                void act(() => unwrap(api.POST(path, { body: { id: q.id, reason } })));
              }}
            >
              <label className="block-label">
                Public reason
                <input value={reason} onChange={(e) => setReason(e.target.value)} required />
              </label>
              <button type="submit">{q.hidden ? 'Show it again' : 'Hide this question'}</button>
            </form>
          )}
        </details>
      )}
      {error && <ErrorNotice error={error} />}
    </article>
  );
}

export function QuestionsPage({ unitId }: { unitId: string | undefined }) {
  const { who } = useSession();
  const [order, setOrder] = useState<'top' | 'new'>('top');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const unit = useQuery(
    () =>
      unitId ? unwrap(api.POST('/api/holarchy/unit/get', { body: { id: unitId } })) : Promise.resolve(null),
    [unitId],
  );
  const list = useQuery(
    () =>
      unwrap(api.POST('/api/question/list', { body: { order, limit: 100, ...(unitId ? { unitId } : {}) } })),
    [unitId, order, who?.person?.id],
  );
  const log = useQuery(
    () => unwrap(api.POST('/api/question/moderation-log', { body: unitId ? { unitId } : {} })),
    [unitId, list.status === 'ok' ? list.data : null],
  );
  // Answering needs govern and moderating manage on the question's unit: the forms go only to those who hold them.
  const abilities = useAbilities(list.status === 'ok' ? list.data.questions.map((q) => q.unitId) : []);
  const ask = async (e: FormEvent) => {
    e.preventDefault();
    if (!unitId) return;
    setError(null);
    try {
      await unwrap(api.POST('/api/question/ask', { body: { unitId, title, body } }));
      setTitle('');
      setBody('');
      list.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  const unitName = unit.status === 'ok' && unit.data ? unit.data.name : undefined;
  return (
    <section data-abilities={abilities.marker}>
      <h1>Questions{unitName ? ` to ${unitName}` : ''}</h1>
      <p className="muted">
        Anyone who may read a unit can ask it a question in public (the public, only of public units).
        Officials of the unit answer in public; answers keep their history. A question with enough upvotes
        that stays unanswered climbs to the unit above on the same deadlines as alerts.
      </p>
      {unitId ? (
        <form onSubmit={(e) => void ask(e)} className="form-grid panel" aria-label="Ask a question">
          <label>
            Your question
            <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
          </label>
          <label>
            Details (optional)
            <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={3} />
          </label>
          {error && <ErrorNotice error={error} />}
          <button type="submit">Ask</button>
        </form>
      ) : (
        <p>To ask a question, open the page of the unit you want to ask.</p>
      )}
      <p className="inline">
        <label>
          Order{' '}
          <select value={order} onChange={(e) => setOrder(e.target.value as 'top' | 'new')}>
            <option value="top">Most upvoted</option>
            <option value="new">Newest</option>
          </select>
        </label>
        {unitId && <Link href={`/units/${unitId}`}>The unit</Link>}
      </p>
      {list.status === 'loading' && <Loading what="questions" />}
      {list.status === 'error' && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' &&
        (list.data.questions.length === 0 ? (
          <p>No questions yet.</p>
        ) : (
          list.data.questions.map((q) => (
            <QuestionCard
              key={q.id}
              q={q}
              onChange={list.reload}
              mayAnswer={abilities.may(q.unitId, 'question.answer')}
              mayModerate={abilities.may(q.unitId, 'question.hide')}
            />
          ))
        ))}
      <section className="panel" aria-labelledby="log-h">
        <h2 id="log-h">Moderation log (public)</h2>
        {log.status === 'ok' &&
          (log.data.entries.length === 0 ? (
            <p>Nothing has been hidden.</p>
          ) : (
            <ul>
              {log.data.entries.map((e) => (
                <li key={e.id}>
                  {when(e.at)}: {e.moderatorName} {e.action} a question — “{e.reason}”
                </li>
              ))}
            </ul>
          ))}
      </section>
    </section>
  );
}
