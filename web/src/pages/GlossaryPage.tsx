// The glossary: every term of the field the Opsroom uses, in plain words.
import { useEffect } from 'react';
import { GLOSSARY } from '../app/glossary';

export function GlossaryPage() {
  useEffect(() => {
    const id = window.location.hash.slice(1);
    if (id) document.getElementById(id)?.scrollIntoView();
  }, []);
  return (
    <section>
      <h1>Glossary</h1>
      <p className="muted">The words of planning and monitoring as the Opsroom uses them.</p>
      <dl className="glossary">
        {GLOSSARY.map((g) => (
          <div key={g.id} id={g.id}>
            <dt>{g.term}</dt>
            <dd>{g.meaning}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
