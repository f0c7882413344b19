// Hostile values (text the database cannot hold, deep nesting, huge numbers, big values) sent to every operation
// never get a 5xx, and a refusal changes nothing. The operations are dealt into `parts` files (every
// `parts`-th one, so each file gets a mix of quick and slow ones), each with its own app: the suite's longest
// file otherwise, run by one worker while the other had nothing left. (Random bodies: api/fuzz-random.test.ts.)
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../app/registry';
import { stateFingerprint } from '../store/state-fingerprint';
import { hostileBodies, hostileQueries } from './hostile-values';
import { createTestApp, smallTree, type TestApp } from './test-app';
import { signedInServer } from './signed-in-server';

/** Operations `part - 1`, `part - 1 + parts`, … of OPERATIONS under hostile input (part counts from 1). */
export function hostileFuzz(part: number, parts: number): void {
  const mine = OPERATIONS.filter((_, i) => i % parts === part - 1);
  describe(`every operation under hostile input (part ${part} of ${parts})`, () => {
    let app: TestApp;
    let server: FastifyInstance;
    let adminToken: string;
    let rootId: string;

    beforeAll(async () => {
      app = await createTestApp();
      const tree = await smallTree(app);
      rootId = tree.food.id;
      await app.person('hostile@root.test', [[tree.root.id, 'admin']]);
      ({ server, token: adminToken } = await signedInServer(app, 'hostile@root.test'));
    });
    afterAll(async () => {
      await server.close();
      await app.close();
    });

    it.for(mine.map((op) => [op.name, op] as const))(
      '%s: NUL, lone surrogates, deep nesting, huge numbers and big values never get a 5xx',
      async ([, op], { signal }) => {
        const url = `/api/${op.name.replaceAll('.', '/')}`;
        // Stops the loops below once vitest has given up on this test (see fuzz-random.test.ts).
        const send = (payload: string) => {
          signal.throwIfAborted();
          return server.inject({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
            payload,
          });
        };
        // One fingerprint around all the bodies when every one is refused; one around each when some pass.
        const before = await stateFingerprint(app);
        let allRefused = true;
        for (const [label, payload] of hostileBodies(op, rootId)) {
          const r = await send(payload);
          expect(r.statusCode, `${label}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
          if (r.statusCode < 400) allRefused = false;
        }
        if (allRefused) expect(await stateFingerprint(app)).toBe(before);
        else {
          for (const [label, payload] of hostileBodies(op, rootId)) {
            const start = await stateFingerprint(app);
            const r = await send(payload);
            expect(r.statusCode, `${label}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
            if (r.statusCode >= 400) expect(await stateFingerprint(app), label).toBe(start);
          }
        }
        if (op.kind === 'query') {
          for (const query of hostileQueries(op)) {
            const r = await server.inject({
              method: 'GET',
              url: `${url}?${query}`,
              headers: { authorization: `Bearer ${adminToken}` },
            });
            expect(r.statusCode, `GET ?${query.slice(0, 60)}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
          }
        }
      },
    );
  });
}
