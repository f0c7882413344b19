// The storage suites again, on the real PostgreSQL server (TEST_DATABASE_URL): only the driver differs.
import pg from 'pg';
import { beforeAll, it } from 'vitest';
import { readingsWriteSuite } from '../../src/cybernet/readings-write.suite';
import { detectionRunnerSuite } from '../../src/cybernet/detection-runner.suite';
import { economyStoreSuite } from '../../src/economy/economy-store.suite';
import { credentialsSuite } from '../../src/holarchy/credentials.suite';
import { holarchySuite } from '../../src/holarchy/holarchy.suite';

beforeAll(async () => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: the PostgreSQL suite cannot run (see .ci/run)');
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${url}: ${(e as Error).message}. Start it (bash .ci/services.sh).`,
      { cause: e },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
});

it('has a PostgreSQL to run on', () => undefined);
holarchySuite('postgres');
credentialsSuite('postgres');
economyStoreSuite('postgres');
readingsWriteSuite('postgres');
detectionRunnerSuite('postgres');
