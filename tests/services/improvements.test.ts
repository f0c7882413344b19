// Rationalization proposals on the real PostgreSQL server (TEST_DATABASE_URL): the same suite as on PGlite.
import { beforeAll } from 'vitest';
import { proposalsSuite } from '../../src/improvements/proposals.suite';
import { requireServices } from './services';

beforeAll(async () => {
  await requireServices();
});

proposalsSuite('postgres');
