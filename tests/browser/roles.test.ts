// Browser suite, issue 13 "Each role can do its work": the shop manager lands on their units with the path from the
// root (names only above them, and nothing else leaks), search opens unit pages, breadcrumbs never dead-end; the
// auditor has an audit page and a searchable history of resolved alerts; a member has screens to act from and no
// false all-within-forecast; managers report readings and define indicators from the Opsroom.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  callApi,
  launchChromium,
  signIn,
  startDemoServer,
  tokenFor,
  unitIdByCode,
  type DemoServer,
} from './harness';

let server: DemoServer;
let browser: Browser;
let shopToken: string;
let shopId: string;

async function page(email: string | undefined, width = 1280): Promise<Page> {
  const p = await browser.newPage({ viewport: { width, height: 900 } });
  if (email) await signIn(p, server.url, email);
  return p;
}

beforeAll(async () => {
  // A shared machine under load can take minutes to import the demo federation.
  server = await startDemoServer(280_000);
  browser = await launchChromium();
  shopToken = await tokenFor(server.url, 'shop@ogas.local');
  shopId = await unitIdByCode(server.url, 'C29-SHOP-1', shopToken);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface PathUnit {
  id: string;
  name: string;
  readable?: boolean;
}

async function shopPath(): Promise<PathUnit[]> {
  return (await callApi<{ units: PathUnit[] }>(server.url, 'holarchy.unit.path', { id: shopId }, shopToken))
    .units;
}

async function mayGet(id: string): Promise<number> {
  const res = await fetch(`${server.url}/api/holarchy/unit/get`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${shopToken}` },
    body: JSON.stringify({ id }),
  });
  return res.status;
}

describe('the shop manager', () => {
  it('lands on "My units" after signing in, with the path from the root to the shop', async () => {
    const path = await shopPath();
    const p = await page('shop@ogas.local');
    await p.waitForURL(/\/my$/);
    await p.getByRole('heading', { level: 1, name: 'My units' }).waitFor();
    const mine = p.locator('article.my-unit[data-unit-code="C29-SHOP-1"]');
    await mine.getByRole('link', { name: 'Body shop' }).first().waitFor();
    const crumbs = mine.getByRole('navigation', { name: 'Breadcrumbs' });
    await crumbs.getByText('Manufacture of motor vehicles').waitFor();
    expect((await crumbs.locator('li').allInnerTexts()).map((t) => t.trim())).toEqual(
      path.map((u) => u.name),
    );
    await p.close();
  });

  it('sees only the names of closed units between the root and the shop, nothing else', async () => {
    const res = await callApi<{ units: Record<string, unknown>[] }>(
      server.url,
      'holarchy.unit.path',
      { id: shopId },
      shopToken,
    );
    // Some unit above the shop is not the shop manager's to read (the root and the sectors are public).
    expect(res.units.filter((u) => u.readable === false).length).toBeGreaterThan(0);
    for (const u of res.units) {
      expect(Object.keys(u).sort()).toEqual(['id', 'kind', 'name', 'path', 'readable']);
      expect(await mayGet(String(u.id))).toBe(u.readable === true ? 200 : 403);
    }
    expect(res.units.at(-1)?.readable).toBe(true);
  });

  it('opens the unit page from a search result', async () => {
    const p = await page('planner@ogas.local');
    await p.goto(`${server.url}/holarchy`);
    await p.getByLabel('Find a unit').fill('Paint');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.getByRole('link', { name: 'Paint shop', exact: true }).click();
    await p.waitForURL(/\/units\//);
    await p.getByRole('heading', { level: 1, name: 'Paint shop' }).waitFor();
    await p.close();
  });

  // Each page's sections load after its heading, so a refused section shows its notice late: the notices are
  // counted once no section is still loading. This found the plan-shortfall tolerances refused on the public root and Manufacturing (fixed: they
  // are public where the unit is).
  it('follows every breadcrumb link to a page that opens', async () => {
    const path = await shopPath();
    const p = await page('shop@ogas.local');
    await p.goto(`${server.url}/units/${shopId}`);
    const crumbs = p.getByRole('navigation', { name: 'Breadcrumbs' });
    await crumbs.locator('[aria-current="page"]').waitFor();
    const links = await crumbs
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? '']));
    expect(links.length).toBeGreaterThan(0);
    for (const [name, href] of links) {
      await p.goto(`${server.url}${href}`);
      await p.getByRole('heading', { level: 1, name }).waitFor();
      await expect.poll(() => p.locator('p.loading').count(), { message: name, timeout: 20_000 }).toBe(0);
      expect(await p.getByRole('alert').count(), name).toBe(0);
    }
    // Every unit on the way is still named, linked or not.
    await p.goto(`${server.url}/units/${shopId}`);
    await crumbs.locator('[aria-current="page"]').waitFor();
    expect((await crumbs.locator('li').allInnerTexts()).map((t) => t.trim())).toEqual(
      path.map((u) => u.name),
    );
    await p.close();
  });
});

describe('the public', () => {
  it("opens the root's, every sector's and a co-op's page with no section refused", async () => {
    // Signed out, every section of a public unit's page must load: a section whose operation is not public
    // shows a notice that the page has no business showing.
    interface U {
      id: string;
      name: string;
      kind: string;
    }
    const tops = (await callApi<{ units: U[] }>(server.url, 'holarchy.unit.tops', {})).units;
    const root = tops.find((u) => u.kind === 'economy');
    expect(root).toBeDefined();
    const sectors = (await callApi<{ units: U[] }>(server.url, 'holarchy.unit.children', { id: root?.id }))
      .units;
    expect(sectors.length).toBeGreaterThan(1);
    let coop: U | undefined;
    for (const s of sectors) {
      const below = (await callApi<{ units: U[] }>(server.url, 'holarchy.unit.children', { id: s.id })).units;
      coop ??= below.find((u) => u.kind === 'co-op');
    }
    expect(coop).toBeDefined();
    const p = await page(undefined);
    for (const u of [root, ...sectors, coop] as U[]) {
      await p.goto(`${server.url}/units/${u.id}`);
      await p.getByRole('heading', { level: 1, name: u.name }).waitFor();
      await expect.poll(() => p.locator('p.loading').count(), { message: u.name, timeout: 20_000 }).toBe(0);
      expect(await p.getByRole('alert').allInnerTexts(), u.name).toEqual([]);
    }
    await p.close();
  });
});

describe('the auditor', () => {
  it('filters the audit trail by operation', async () => {
    // Two audited commands of different operations, so that a filter has something to leave out.
    await callApi(
      server.url,
      'indicator.create',
      { unitId: shopId, code: 'audit-temp', name: 'Audited temperature', measure: '°C' },
      shopToken,
    );
    await callApi(
      server.url,
      'readings.submit',
      { unitId: shopId, readings: [{ indicator: 'audit-temp', value: 20, sourceId: 'audit-1' }] },
      shopToken,
    );
    const p = await page('auditor@ogas.local');
    await p.getByRole('link', { name: 'Audit', exact: true }).click();
    await p.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    const status = p.getByRole('status').filter({ hasText: 'entries shown' });
    await status.waitFor();
    const total = Number(/of (\d+) entries/.exec(await status.innerText())?.[1] ?? 0);
    expect(total).toBeGreaterThan(0);
    const ops = await p.getByLabel('Operation').locator('option').allInnerTexts();
    const op = ops.find((o) => o !== 'All operations') ?? '';
    await p.getByLabel('Operation').selectOption(op);
    const shown = Number(/^(\d+) of/.exec(await status.innerText())?.[1] ?? -1);
    expect(shown).toBeGreaterThan(0);
    const cells = await p.locator('table td[data-label="Operation"]').allInnerTexts();
    expect(new Set(cells)).toEqual(new Set([op]));
    await p.close();
  });

  it('searches resolved alerts', async () => {
    await callApi(
      server.url,
      'indicator.create',
      {
        unitId: shopId,
        code: 'hist-temp',
        name: 'Historic oven temperature',
        measure: '°C',
        goodDirection: 'target',
        detector: 'spc',
        detectorSettings: { centre: 50, sigma: 1 },
      },
      shopToken,
    );
    await callApi(
      server.url,
      'readings.submit',
      {
        unitId: shopId,
        readings: [50.1, 49.9, 58].map((value, i) => ({ indicator: 'hist-temp', value, sourceId: `h-${i}` })),
      },
      shopToken,
    );
    const { alerts } = await callApi<{ alerts: { id: string; message: string }[] }>(
      server.url,
      'alert.list',
      { unitId: shopId, status: 'open' },
      shopToken,
    );
    const mine = alerts.find((a) => a.message.includes('Historic oven temperature'));
    expect(mine).toBeDefined();
    await callApi(server.url, 'alert.resolve', { id: mine?.id, note: 'burner fixed' }, shopToken);
    const p = await page('auditor@ogas.local');
    await p.goto(`${server.url}/alerts/history`);
    const status = p.getByRole('status').filter({ hasText: 'resolved alerts shown' });
    await status.waitFor();
    await p.getByLabel('Search resolved alerts').fill('historic oven');
    expect(await status.innerText()).toMatch(/^1 of \d+ resolved alerts shown/);
    expect(await p.locator('table td[data-label="Unit"]').innerText()).toBe('Body shop');
    await p.getByLabel('Search resolved alerts').fill('no such thing at all');
    expect(await status.innerText()).toMatch(/^0 of/);
    await p.close();
  });
});

describe('the member', () => {
  it('has their unit, votes and questions one click away, and no false all-within-forecast', async () => {
    const p = await page('member@ogas.local');
    await p.waitForURL(/\/my$/);
    const card = p.locator('article.my-unit').first();
    await card.getByRole('link', { name: 'Votes you can take part in' }).waitFor();
    await card.getByRole('link', { name: /^Questions on / }).waitFor();
    await card.getByRole('link', { name: /^Reports and indicators of / }).waitFor();
    const memberToken = await tokenFor(server.url, 'member@ogas.local');
    const grants = await callApi<{ grants: { unitId: string }[] }>(
      server.url,
      'auth.whoami',
      {},
      memberToken,
    );
    const unitId = grants.grants[0]?.unitId ?? '';
    const { indicators } = await callApi<{ indicators: unknown[] }>(
      server.url,
      'indicator.list',
      { unitId, subtree: true },
      memberToken,
    );
    if (indicators.length === 0) await card.getByText('nothing to monitor yet').waitFor();
    await p.goto(`${server.url}/alerts`);
    await p.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await p.locator('.alert-list, [role="alert"]').first().waitFor();
    expect(await p.locator('main').innerText()).not.toMatch(/within (its|their) forecast/);
    // A member reports nothing and defines nothing: the forms are not there.
    await p.goto(`${server.url}/units/${unitId}`);
    await p.getByRole('heading', { level: 2, name: 'Indicators' }).waitFor();
    expect(await p.getByRole('form', { name: 'Report a reading' }).count()).toBe(0);
    expect(await p.getByRole('form', { name: 'Define an indicator' }).count()).toBe(0);
    await p.close();
  });
});

describe('reporting from the Opsroom', () => {
  it('lets the shop manager define an indicator and report a reading on it', async () => {
    const p = await page('shop@ogas.local');
    await p.goto(`${server.url}/units/${shopId}`);
    const define = p.getByRole('form', { name: 'Define an indicator' });
    await define.getByLabel('Code').fill('paint-thickness');
    await define.getByLabel('Name').fill('Paint thickness');
    await define.getByLabel('Measure').fill('µm');
    await define.getByLabel('Units above combine it as').selectOption('mean');
    await define.getByRole('button', { name: 'Define' }).click();
    await p.locator('figure[data-indicator="paint-thickness"]').waitFor();
    const report = p.getByRole('form', { name: 'Report a reading' });
    await report.getByLabel('Indicator').selectOption({ label: 'Paint thickness (µm)' });
    await report.getByLabel(/^Value/).fill('112');
    await report.getByRole('button', { name: 'Report' }).click();
    await report.getByText('Reported 112 µm.').waitFor();
    await p
      .locator('figure[data-indicator="paint-thickness"] figcaption')
      .getByText('latest 112 µm')
      .waitFor();
    const { indicators } = await callApi<{ indicators: { code: string; aggregation: string }[] }>(
      server.url,
      'indicator.list',
      { unitId: shopId },
      shopToken,
    );
    expect(indicators.find((i) => i.code === 'paint-thickness')?.aggregation).toBe('mean');
    await p.close();
  });
});
