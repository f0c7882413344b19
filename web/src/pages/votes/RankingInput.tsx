// Ranking candidates with the keyboard alone: every move is a button, focus follows the moved candidate,
// and each change is announced in words.
import { useEffect, useRef, useState } from 'react';

export interface RankCandidate {
  id: string;
  name: string;
}

export function RankingInput({
  candidates,
  ranking,
  onChange,
}: {
  candidates: RankCandidate[];
  ranking: string[];
  onChange: (ranking: string[]) => void;
}) {
  const [said, setSaid] = useState('');
  const focusNext = useRef<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const name = (id: string) => candidates.find((c) => c.id === id)?.name ?? id;
  useEffect(() => {
    const key = focusNext.current;
    if (key === null) return;
    focusNext.current = null;
    box.current?.querySelector<HTMLButtonElement>(`[data-focus-key="${key}"]`)?.focus();
  }, [ranking]);

  const move = (id: string, to: number, focusKey: string, message: string) => {
    const next = ranking.filter((r) => r !== id);
    next.splice(to, 0, id);
    focusNext.current = focusKey;
    onChange(next);
    setSaid(message);
  };
  const remove = (id: string) => {
    focusNext.current = `add-${id}`;
    onChange(ranking.filter((r) => r !== id));
    setSaid(`${name(id)} removed from your ranking.`);
  };
  const unranked = candidates.filter((c) => !ranking.includes(c.id));
  return (
    <div className="ranking" ref={box}>
      <h3 id="ranked-h">Your ranking</h3>
      {ranking.length === 0 ? (
        <p className="muted">Nobody ranked yet: use “Rank” below, first choice first.</p>
      ) : (
        <ol aria-labelledby="ranked-h" className="ranked">
          {ranking.map((id, i) => (
            <li key={id}>
              <span className="rank-name">
                <span className="rank-number">{i + 1}.</span> {name(id)}
              </span>
              <span className="rank-actions">
                <button
                  type="button"
                  data-focus-key={`up-${id}`}
                  disabled={i === 0}
                  aria-label={`Move ${name(id)} up`}
                  onClick={() =>
                    move(
                      id,
                      i - 1,
                      i - 1 === 0 ? `down-${id}` : `up-${id}`,
                      `${name(id)} is now choice ${i}.`,
                    )
                  }
                >
                  ↑ Up
                </button>
                <button
                  type="button"
                  data-focus-key={`down-${id}`}
                  disabled={i === ranking.length - 1}
                  aria-label={`Move ${name(id)} down`}
                  onClick={() =>
                    move(
                      id,
                      i + 1,
                      i + 1 === ranking.length - 1 ? `up-${id}` : `down-${id}`,
                      `${name(id)} is now choice ${i + 2}.`,
                    )
                  }
                >
                  ↓ Down
                </button>
                <button
                  type="button"
                  data-focus-key={`remove-${id}`}
                  aria-label={`Remove ${name(id)}`}
                  onClick={() => remove(id)}
                >
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <h3 id="unranked-h">Not ranked</h3>
      {unranked.length === 0 ? (
        <p className="muted">Every candidate is ranked.</p>
      ) : (
        <ul aria-labelledby="unranked-h" className="unranked">
          {unranked.map((c) => (
            <li key={c.id}>
              <span>{c.name}</span>{' '}
              <button
                type="button"
                data-focus-key={`add-${c.id}`}
                aria-label={`Rank ${c.name} as choice ${ranking.length + 1}`}
                onClick={() => {
                  const nextUnranked = unranked.find((u) => u.id !== c.id);
                  move(
                    c.id,
                    ranking.length,
                    nextUnranked ? `add-${nextUnranked.id}` : `remove-${c.id}`,
                    `${c.name} is now choice ${ranking.length + 1}.`,
                  );
                }}
              >
                Rank
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="sr-live" aria-live="polite">
        {said}
      </p>
    </div>
  );
}
