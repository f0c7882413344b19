// `ogas serve --demo` as a user meets it: the first start loads the demo and creates the admin; the second
// reuses the same database, with no duplicate demo and the same admin login.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countUnits, freePort, login, startDemo, stop } from './serve-process';

const home = mkdtempSync(join(tmpdir(), 'ogas-demo-'));

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the demo federation across restarts', () => {
  it('loads once, prints the admin login, and a second start reuses the same database and admin', async () => {
    const port = await freePort();
    const first = await startDemo(port, home);
    expect(first.output()).toMatch(/Admin login created: admin@ogas\.local \/ \S+/);
    const password = readFileSync(join(home, 'admin-password.txt'), 'utf8').trim();
    const token = await login(port, 'admin@ogas.local', password);
    expect(token).not.toBeNull();
    const units = await countUnits(port, token ?? '');
    expect(units).toBeGreaterThanOrEqual(1 + 8 + 56);
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
      database: string;
    };
    expect(health.database).toBe('pglite');
    await stop(first);

    const second = await startDemo(port, home);
    expect(second.output()).toMatch(/already loaded/);
    expect(second.output()).not.toMatch(/Admin login created/);
    const again = await login(port, 'admin@ogas.local', password);
    expect(again).not.toBeNull();
    expect(await countUnits(port, again ?? '')).toBe(units);
    await stop(second);
  }, 300_000);
});
