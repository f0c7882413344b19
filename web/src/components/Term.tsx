// A term of the field where it appears: its meaning on hover or focus (title) and a link to the glossary.
import type { ReactNode } from 'react';
import { glossaryEntry } from '../app/glossary';
import { Link } from '../app/router';

export function Term({ id, children }: { id: string; children?: ReactNode }) {
  const entry = glossaryEntry(id);
  if (!entry) return <>{children}</>;
  return (
    <Link href={`/glossary#${entry.id}`} className="term" title={entry.meaning} data-term={entry.id}>
      {children ?? entry.term}
    </Link>
  );
}
