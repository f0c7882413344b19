// The demo on PostgreSQL as a fresh clone meets it: `DATABASE_URL=… npm start` with an OGAS_HOME that does
// not exist yet loads the whole demo in one transaction, and every demo login works, also after a restart.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSuite } from '../../src/app/demo.suite';
import { freshDatabase, requireServices } from './services';
import { countUnits, freePort, login, startDemo, stop } from './serve-process';

let base = '';
const scratch = mkdtempSync(join(tmpdir(), 'ogas-demo-pg-'));

beforeAll(async () => {
  base = await requireServices();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

demoSuite('postgres');

describe('npm start on PostgreSQL from a fresh clone', () => {
  it('creates OGAS_HOME, saves a one-line admin password, and every demo login works across a restart', async () => {
    const db = await freshDatabase(base);
    const home = join(scratch, 'not', 'there', 'yet');
    try {
      const port = await freePort();
      const first = await startDemo(port, home, db.url);
      expect(first.output()).toMatch(/Admin login created: admin@ogas\.local \/ \S+/);
      const password = readFileSync(join(home, 'admin-password.txt'), 'utf8');
      expect(password.split('\n')).toHaveLength(2);
      expect(password.endsWith('\n')).toBe(true);
      const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
        database: string;
      };
      expect(health.database).toBe('postgres');
      const admin = await login(port, 'admin@ogas.local', password.trim());
      expect(admin).not.toBeNull();
      expect(await countUnits(port, admin ?? '')).toBeGreaterThanOrEqual(1 + 8 + 56);
      for (const email of ['planner@ogas.local', 'manufacturing@ogas.local', 'shop@ogas.local']) {
        expect(await login(port, email, 'ogas-demo-2014'), email).not.toBeNull();
      }
      await stop(first);

      const second = await startDemo(port, home, db.url);
      expect(second.output()).toMatch(/already loaded/);
      expect(await login(port, 'admin@ogas.local', password.trim())).not.toBeNull();
      await stop(second);
    } finally {
      await db.drop();
    }
  }, 300_000);
});
