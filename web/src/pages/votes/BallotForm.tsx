// The ballot of one vote, in the shape of its type; casting it shows the receipt code once.
import { useState, type FormEvent } from 'react';
import { api, unwrap, type OpInput } from '../../api/client';
import { isRanked, type Vote } from '../../api/participation';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RankingInput } from './RankingInput';

type Ballot = OpInput<'vote.cast'>['ballot'];

const POSITIONS = {
  consent: [
    ['consent', 'Consent'],
    ['stand-aside', 'Stand aside'],
    ['block', 'Block'],
  ],
  proposal: [
    ['agree', 'Agree'],
    ['abstain', 'Abstain'],
    ['disagree', 'Disagree'],
    ['block', 'Block'],
  ],
} as const;

export function BallotForm({ vote, voted, onCast }: { vote: Vote; voted: boolean; onCast: () => void }) {
  const m = vote.method;
  const [approve, setApprove] = useState<string[]>([]);
  const [scores, setScores] = useState<Record<string, number>>({});
  const [ranking, setRanking] = useState<string[]>([]);
  const [position, setPosition] = useState('');
  const [reason, setReason] = useState('');
  const [oldReceipt, setOldReceipt] = useState('');
  const [receipt, setReceipt] = useState<{ code: string; replaced: boolean } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  if (receipt)
    return (
      <div className="notice notice-info receipt" role="status">
        <strong>{receipt.replaced ? 'Your ballot was replaced.' : 'Your ballot was cast.'}</strong>
        <p>
          Your receipt code: <code data-testid="receipt">{receipt.code}</code>
        </p>
        <p>
          Write it down now: it is shown only once and nobody else knows it. After the vote closes, every
          ballot is published with its receipt code, so you can check that yours was counted as you cast it
          {vote.anonymous && vote.allowChanges
            ? ', and while the vote is open it lets you change your ballot'
            : ''}
          .
        </p>
        <button type="button" onClick={onCast}>
          Done
        </button>
      </div>
    );
  if (voted && !vote.allowChanges)
    return <p className="notice notice-info">You have voted. This vote does not allow changing a ballot.</p>;

  const ballot = (): Ballot => {
    if (m.type === 'approval') return { approve };
    if (m.type === 'score' || m.type === 'star') return { scores };
    if (isRanked(m)) return { ranking };
    return reason.trim()
      ? { position: position as NonNullable<Ballot['position']>, reason: reason.trim() }
      : { position: position as NonNullable<Ballot['position']> };
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        id: vote.id,
        ballot: ballot(),
        ...(oldReceipt.trim() ? { receipt: oldReceipt.trim() } : {}),
      };
      const r = await unwrap(api.POST('/api/vote/cast', { body }));
      setReceipt({ code: r.receipt, replaced: r.replaced });
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  const maxScore = m.type === 'score' || m.type === 'star' ? m.maxScore : 0;
  return (
    <form onSubmit={(e) => void submit(e)} className="ballot" aria-label="Your ballot">
      {voted && (
        <p className="notice notice-info">
          You have voted. Casting again replaces your ballot
          {vote.anonymous
            ? ': give the receipt code of your first ballot, since nobody else can tell which is yours.'
            : '.'}
        </p>
      )}
      {m.type === 'approval' && (
        <fieldset>
          <legend>Tick every candidate you approve</legend>
          {vote.candidates.map((c) => (
            <label key={c.id} className="choice">
              <input
                type="checkbox"
                checked={approve.includes(c.id)}
                onChange={(e) =>
                  setApprove(e.target.checked ? [...approve, c.id] : approve.filter((a) => a !== c.id))
                }
              />{' '}
              {c.name}
            </label>
          ))}
        </fieldset>
      )}
      {(m.type === 'score' || m.type === 'star') && (
        <fieldset>
          <legend>Give each candidate a score from 0 to {maxScore}</legend>
          {vote.candidates.map((c) => (
            <label key={c.id} className="choice">
              {c.name}{' '}
              <select
                value={scores[c.id] ?? 0}
                onChange={(e) => setScores({ ...scores, [c.id]: Number(e.target.value) })}
              >
                {Array.from({ length: maxScore + 1 }, (_, s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
      )}
      {isRanked(m) && <RankingInput candidates={vote.candidates} ranking={ranking} onChange={setRanking} />}
      {(m.type === 'consent' || m.type === 'proposal') && (
        <fieldset>
          <legend>Your position</legend>
          {POSITIONS[m.type].map(([value, label]) => (
            <label key={value} className="choice">
              <input
                type="radio"
                name="position"
                value={value}
                checked={position === value}
                onChange={() => setPosition(value)}
              />{' '}
              {label}
            </label>
          ))}
          <label className="block-label">
            Reason {position === 'block' ? '(required for a block)' : '(optional)'}
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={5000} />
          </label>
        </fieldset>
      )}
      {voted && vote.anonymous && (
        <label className="block-label">
          Receipt code of your first ballot
          <input value={oldReceipt} onChange={(e) => setOldReceipt(e.target.value)} autoComplete="off" />
        </label>
      )}
      {error && <ErrorNotice error={error} />}
      <button type="submit" disabled={busy}>
        {voted ? 'Replace my ballot' : 'Cast my ballot'}
      </button>
    </form>
  );
}
