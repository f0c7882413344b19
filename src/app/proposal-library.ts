// The adapter that joins two capabilities (issue 12): an adopted rationalization proposal becomes a public
// record of the technical library, written by the system on the unit it was filed on. It lives here, in the
// composition root, so that neither module imports the other.
import { SYSTEM } from '../core/principal';
import type { ProposalPublisher } from '../improvements/proposal-publisher';
import type { LibraryService } from '../library/library.service';

export function libraryPublisher(library: () => LibraryService): ProposalPublisher {
  return {
    publish: async (p) => {
      const changes = (p.decision?.changes ?? p.changes)
        .map((c) => `${c.kind} ${c.item}: ${c.from} → ${c.to} per unit of output`)
        .join('\n');
      const out = await library().publish(SYSTEM, {
        unitId: p.unitId,
        type: 'proposal',
        title: p.title,
        abstract: p.body,
        authors: [p.authorName],
        keywords: ['rationalization proposal', p.technology],
        products: [],
        technologies: [p.technology],
        licence: 'CC-BY-4.0',
        text: `${p.body}\n\nAdopted changes to technology ${p.technology}:\n${changes}`,
        files: [],
        access: { level: 'public' },
        note: `adopted proposal ${p.id}`,
      });
      return out.recordId;
    },
  };
}
