// The fingerprint that the fuzz and hostile-input tests trust to prove "a refusal wrote nothing" must itself
// see every kind of write: an insert, an update of one field, a delete, and nothing else.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { stateFingerprint } from './state-fingerprint';

describe('stateFingerprint', () => {
  let app: TestApp;
  let unitId: string;
  beforeAll(async () => {
    app = await createTestApp();
    unitId = (await smallTree(app)).bakery.id;
  });
  afterAll(() => app.close());

  it('is stable when nothing is written', async () => {
    expect(await stateFingerprint(app)).toBe(await stateFingerprint(app));
  });

  it('changes on an insert, on an update of one field, and back on undoing it', async () => {
    const start = await stateFingerprint(app);
    const created = (await app.call('holarchy.unit.create', {
      parentId: unitId,
      name: 'Oven line',
      kind: 'shop',
    })) as { id: string };
    const inserted = await stateFingerprint(app);
    expect(inserted).not.toBe(start);

    await sql`update units set name = 'Oven line 2' where id = ${created.id}`.execute(app.store.db);
    const updated = await stateFingerprint(app);
    expect(updated).not.toBe(inserted);

    await sql`update units set name = 'Oven line' where id = ${created.id}`.execute(app.store.db);
    expect(await stateFingerprint(app)).toBe(inserted);
  });

  it('ignores a new session (sign-in writes one) but sees a new person', async () => {
    const person = await app.person('fingerprint@food.test', []);
    const start = await stateFingerprint(app);
    await sql`insert into sessions (person_id, created_at, expires_at, token_hash)
      values (${person.kind === 'person' ? person.personId : ''}, now(), now() + interval '1 day', 'fingerprint-test')`.execute(
      app.store.db,
    );
    expect(await stateFingerprint(app)).toBe(start);
    await app.person('another@food.test', []);
    expect(await stateFingerprint(app)).not.toBe(start);
  });
});
