// Plan-shortfall alerts on the demo, on PostgreSQL (the same suite as on PGlite).
import { beforeAll } from 'vitest';
import { planShortfallSuite } from '../../src/cyberstride/plan-shortfall.suite';
import { requireServices } from './services';

beforeAll(async () => {
  await requireServices();
});

planShortfallSuite('postgres');
