// Planning rounds on the real PostgreSQL server (TEST_DATABASE_URL): the same suite as on PGlite.
import { beforeAll } from 'vitest';
import { roundsSuite } from '../../src/planning/rounds/rounds.suite';
import { requireServices } from './services';

beforeAll(async () => {
  await requireServices();
});

roundsSuite('postgres');
