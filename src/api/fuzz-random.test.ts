// Property: random and malformed bodies sent to every operation never get a 5xx, and a refusal changes nothing.
// (The hostile values are in fuzz-hostile.test.ts: two files, so that the two run at once on two workers.)
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { stateFingerprint } from '../store/state-fingerprint';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { signedInServer } from '../testing/signed-in-server';

describe('every operation under random input', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let ids: string[];
  let memberToken: string;

  beforeAll(async () => {
    app = await createTestApp();
    const tree = await smallTree(app);
    ids = Object.values(tree).map((u) => u.id);
    await app.person('fuzz@food.test', [[tree.food.id, 'member']]);
    ({ server, token: memberToken } = await signedInServer(app, 'fuzz@food.test'));
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  // Values that look like the real thing (existing ids, kinds, roles) next to junk, so checks past parsing run too.
  const plausible = () =>
    fc.oneof(
      fc.constantFrom(...ids),
      fc.constantFrom('economy', 'shop', 'admin', 'member', 'min-labour', 'json', ''),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.anything(), { maxLength: 3 }),
    );
  const body = () =>
    fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          'id',
          'parentId',
          'unitId',
          'name',
          'kind',
          'role',
          'personId',
          'economyId',
          'content',
          'q',
          'targets',
          'format',
        ),
        plausible(),
      ),
      fc.anything(),
    );

  // A test that times out is not stopped by vitest: without the signal its property would go on sending
  // requests (some accepted, so writing) while the next operation's test compares fingerprints.
  it.for(OPERATIONS.map((op) => [op.name, op] as const))(
    '%s never answers 5xx and refusals write nothing',
    async ([, op], { signal }) => {
      const url = `/api/${op.name.replaceAll('.', '/')}`;
      await fc.assert(
        fc.asyncProperty(body(), fc.boolean(), async (payload, signedIn) => {
          signal.throwIfAborted();
          const before = await stateFingerprint(app);
          const r = await server.inject({
            method: 'POST',
            url,
            headers: {
              'content-type': 'application/json',
              ...(signedIn ? { authorization: `Bearer ${memberToken}` } : {}),
            },
            payload: JSON.stringify(payload) ?? 'null',
          });
          expect(r.statusCode, r.body).toBeLessThan(500);
          if (r.statusCode >= 400) {
            expect(r.json()).toHaveProperty('detail');
            expect(await stateFingerprint(app)).toBe(before);
          }
        }),
        { numRuns: 12, seed: 20261128 },
      );
    },
  );
});
