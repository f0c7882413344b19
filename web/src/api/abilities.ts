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
}

export function useAbilities(unitIds: readonly string[]): Abilities {
  const { who } = useSession();
  const key = [...new Set(unitIds)].filter(Boolean).sort().join(',');
  const answer = useQuery(
    async () =>
      key === ''
        ? []
        : (await unwrap(api.POST('/api/access/abilities', { body: { unitIds: key.split(',') } }))).units,
    [key, who],
    { keepPrevious: true },
  );
  const units = answer.status === 'ok' ? answer.data : [];
  return {
    may: (unitId, action) => units.some((u) => u.unitId === unitId && u.may.includes(action)),
    loaded: answer.status === 'ok',
    settled: (unitId) => answer.status === 'error' || units.some((u) => u.unitId === unitId),
  };
}
