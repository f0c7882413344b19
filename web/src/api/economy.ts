// The economic model that governs a unit: the nearest economy on the unit's path, loaded once per version.
import { api, unwrap, type OpOutput } from './client';

export type EconomyRow = OpOutput<'economy.list'>['economies'][number];
export type EconomyModel = OpOutput<'economy.model'>;
export type Technology = EconomyModel['technologies'][number];

const models = new Map<string, Promise<EconomyModel>>();

export function loadModel(economy: EconomyRow): Promise<EconomyModel> {
  const key = `${economy.id}@${economy.version}`;
  let p = models.get(key);
  if (!p) {
    p = unwrap(api.POST('/api/economy/model', { body: { id: economy.id } }));
    p.catch(() => models.delete(key));
    models.set(key, p);
  }
  return p;
}

/** The economy attached to the deepest unit on `path` ("/root/.../unit/"), or undefined if none is readable. */
export async function economyOnPath(path: string): Promise<EconomyRow | undefined> {
  const { economies } = await unwrap(api.POST('/api/economy/list', { body: {} }));
  const ids = path.split('/').filter(Boolean);
  let best: { row: EconomyRow; depth: number } | undefined;
  for (const e of economies) {
    const depth = ids.indexOf(e.unitId);
    if (depth >= 0 && (!best || depth > best.depth)) best = { row: e, depth };
  }
  return best?.row;
}
