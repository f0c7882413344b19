// What the signed-in person may do on units (access.abilities): the server's central check answers, so a
// button is shown only to those whose press it would accept.
import { api, unwrap, type OpOutput } from './client';
import { useSession } from './session';
import { useQuery } from './use-query';

export type Action = OpOutput<'access.abilities'>['units'][number]['may'][number];

export interface Abilities {
  /** False while loading and on failure: an action is offered only once the server said yes. */
  may: (unitId: string, action: Action) => boolean;
  loaded: boolean;
  /** Whether the server has answered for this unit (or failed, so waiting is pointless). */
  settled: (unitId: string) => boolean;
  /**
   * For a page's `data-abilities` attribute: "settled" once the server has answered for every unit asked about
   * (and at least one was), so that a test which checks a form is *not* offered waits for the render that
   * would have offered it, instead of passing before it.
   */
  marker: 'settled' | 'pending';
}

type Units = OpOutput<'access.abilities'>['units'];

/** How long one answer serves every section asking the same question (a unit's page has several). */
const SHARED_MS = 2_000;
const recent = new Map<string, { at: number; answer: Promise<Units> }>();

/** One request for the sections of a page that ask about the same units for the same person at once. */
function ask(key: string, person: string): Promise<Units> {
  const now = Date.now();
  for (const [k, v] of recent) if (now - v.at >= SHARED_MS) recent.delete(k);
  const shared = `${person}|${key}`;
  const hit = recent.get(shared);
  if (hit) return hit.answer;
  const answer = unwrap(api.POST('/api/access/abilities', { body: { unitIds: key.split(',') } })).then(
    (r) => r.units,
  );
  // A failure is not shared: the next section (or Try again) asks afresh.
  answer.catch(() => recent.delete(shared));
  recent.set(shared, { at: now, answer });
  return answer;
}

export function useAbilities(unitIds: readonly string[]): Abilities {
  const { who } = useSession();
  const key = [...new Set(unitIds)].filter(Boolean).sort().join(',');
  const answer = useQuery(
    async () => (key === '' ? [] : ask(key, who?.person?.id ?? who?.kind ?? '')),
    [key, who],
    { keepPrevious: true },
  );
  const units = answer.status === 'ok' ? answer.data : [];
  const settled = (unitId: string) => answer.status === 'error' || units.some((u) => u.unitId === unitId);
  const asked = key === '' ? [] : key.split(',');
  return {
    may: (unitId, action) => units.some((u) => u.unitId === unitId && u.may.includes(action)),
    loaded: answer.status === 'ok',
    settled,
    marker: asked.length > 0 && asked.every(settled) ? 'settled' : 'pending',
  };
}

/** A unit of the person's grants, by id and name. */
export interface GrantUnit {
  id: string;
  name: string;
}

/** The units of these grants where the server allows the action (each once): a form's suggested units. */
export function grantUnitsWhere(
  grants: readonly { unitId: string; unitName: string }[],
  abilities: Abilities,
  action: Action,
): GrantUnit[] {
  const out = new Map<string, GrantUnit>();
  for (const g of grants)
    if (abilities.may(g.unitId, action)) out.set(g.unitId, { id: g.unitId, name: g.unitName });
  return [...out.values()];
}
