// After closing: find your ballot in the published ballots by its receipt code, and how to recount them all.
import { useState, type FormEvent } from 'react';
import { api, unwrap, type OpOutput } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';

type Published = OpOutput<'vote.ballots'>;

function normalise(code: string): string {
  const plain = code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return plain.length === 20 ? (plain.match(/.{5}/g) ?? []).join('-') : plain;
}

function marksInWords(marks: Published['ballots'][number]['marks'], names: Map<string, string>): string {
  const n = (id: string) => names.get(id) ?? id;
  if ('ranking' in marks)
    return marks.ranking.map((r, i) => `${i + 1}. ${r.map(n).join(' = ') || '(blank)'}`).join(', ');
  if ('approve' in marks)
    return marks.approve.length ? `approved ${marks.approve.map(n).join(', ')}` : 'approved nobody';
  if ('scores' in marks)
    return Object.entries(marks.scores)
      .map(([id, s]) => `${n(id)} ${s}`)
      .join(', ');
  return marks.reason ? `${marks.position} (${marks.reason})` : marks.position;
}

export function ReceiptCheck({ voteId }: { voteId: string }) {
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const check = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const published = await unwrap(api.POST('/api/vote/ballots', { body: { id: voteId } }));
      const names = new Map(published.vote.candidates.map((c) => [c.id, c.name]));
      const wanted = normalise(code);
      const ballot = published.ballots.find((b) => b.receipt === wanted);
      setAnswer(
        ballot
          ? `Counted: the ballot with receipt ${wanted} is one of the ${published.ballots.length} published — ${marksInWords(ballot.marks, names)}.`
          : `No published ballot has the receipt ${wanted}. Check the code; if it is right, your ballot was not counted: tell the unit's auditors.`,
      );
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <section className="panel" aria-labelledby="verify-h">
      <h2 id="verify-h">Check the count yourself</h2>
      <p>
        Every ballot is published with its receipt code:{' '}
        <a href={`/api/vote/ballots?id=${encodeURIComponent(voteId)}`} download={`ballots-${voteId}.json`}>
          download the published ballots
        </a>{' '}
        and recount them on your own computer with <code>npx ogas vote recount ballots-{voteId}.json</code>{' '}
        (no database, no server), or look for your receipt with{' '}
        <code>npx ogas vote verify --receipt YOUR-CODE ballots-{voteId}.json</code>.
      </p>
      <form onSubmit={(e) => void check(e)} className="inline">
        <label>
          Your receipt code
          <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" required />
        </label>{' '}
        <button type="submit">Find my ballot</button>
      </form>
      {answer && (
        <p role="status" data-testid="receipt-answer">
          {answer}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
