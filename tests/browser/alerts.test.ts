// Browser suite: an alert raised by a posted reading arrives in the open inbox live, and is acknowledged there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  callApi,
  chartSummaries,
  colourWithoutWords,
  cspViolations,
  launchChromium,
  signIn,
  startDemoServer,
  tokenFor,
  type DemoServer,
} from './harness';

let server: DemoServer;
let browser: Browser;
let page: Page;
/** What the browser refused under the server's Content-Security-Policy while the tests ran. */
let refused: string[] = [];
let shopToken: string;
let shopId: string;
let reading = 0;

async function post(...values: number[]) {
  await callApi(
    server.url,
    'readings.submit',
    {
      unitId: shopId,
      readings: values.map((value) => ({ indicator: 'oven-temp', value, sourceId: `browser-${reading++}` })),
    },
    shopToken,
  );
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  shopToken = await tokenFor(server.url, 'shop@ogas.local');
  const found = await callApi<{ units: { id: string; code: string | null }[] }>(
    server.url,
    'holarchy.unit.search',
    { q: 'C29-SHOP-1' },
    shopToken,
  );
  shopId = found.units.find((u) => u.code === 'C29-SHOP-1')?.id ?? '';
  await callApi(
    server.url,
    'indicator.create',
    {
      unitId: shopId,
      code: 'oven-temp',
      name: 'Body shop oven temperature',
      measure: '°C',
      goodDirection: 'target',
      detector: 'spc',
      detectorSettings: { centre: 50, sigma: 1 },
    },
    shopToken,
  );
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  refused = cspViolations(page);
  await signIn(page, server.url, 'shop@ogas.local');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the alerts inbox in a real browser', () => {
  it('shows an alert raised by a posted reading without a reload', async () => {
    await page.goto(`${server.url}/alerts`);
    await page.getByText('No unresolved alerts').waitFor();
    await page.locator('[data-connection="connected"]').waitFor();
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await post(50.2, 49.9, 57);
    // The unit's name follows the card by a moment (names are looked up once the alert is in).
    const card = page.locator('article.alert-card', { hasText: 'Body shop' });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.innerText()).toContain('New');
    expect(await card.innerText()).toContain('Open');
    expect(await colourWithoutWords(page)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await page.getByRole('link', { name: 'Alerts (1 open)' }).waitFor();
  });

  it('acknowledges the alert and shows who acted in its escalation timeline', async () => {
    const card = page.locator('article.alert-card');
    await card.getByLabel('Note (optional)').fill('checking the burner');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('article.alert-card[data-status="acknowledged"]').waitFor();
    expect(await card.locator('h2').innerText()).toContain('Acknowledged');
    await card.getByRole('button', { name: 'Show timeline' }).click();
    const timeline = card.getByRole('list', { name: 'Escalation timeline' });
    await timeline.getByText('Acknowledged', { exact: true }).waitFor();
    const steps = await timeline.locator('li').allInnerTexts();
    expect(steps[0]).toMatch(/Opened at level \d+ \(Body shop\)/);
    expect(steps.at(-1)).toContain('checking the burner');
  });

  it('colours the shop in the navigator by its alert, with words beside the colour', async () => {
    await page.goto(`${server.url}/units/${shopId}`);
    // The badge shows "unknown" until the unit's alerts have loaded; it must then settle on "watch".
    const badge = page.locator('.unit-head [data-health="watch"]');
    await badge.waitFor({ timeout: 15_000 });
    expect(await badge.innerText()).toContain('1 alert being handled');
    await page.getByTestId('indicator-oven-temp').locator('svg').waitFor();
    expect(await chartSummaries(page)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Body shop oven temperature oven-temp: latest .+ °C .*; 1 unresolved alert\.$/,
        ),
      ]),
    );
    expect(await colourWithoutWords(page)).toEqual([]);
  });

  it('opens the alert on its own page from the inbox, resolves it there, and the page still shows it resolved', async () => {
    await page.goto(`${server.url}/alerts`);
    const card = page.locator('article.alert-card', { hasText: 'Body shop' });
    await card.waitFor({ timeout: 15_000 });
    const id = await card.getAttribute('data-alert-id');
    await card.getByRole('link', { name: /^The page of this alert/ }).click();
    await page.waitForURL(`${server.url}/alerts/${id}`);
    await page.getByRole('heading', { level: 1, name: /^Alert on Body shop/ }).waitFor();
    const own = page.locator(`article.alert-card[data-alert-id="${id}"]`);
    // The timeline is open on the alert's own page, and the card does not link to itself.
    await own
      .getByRole('list', { name: 'Escalation timeline' })
      .getByText('Acknowledged', { exact: true })
      .waitFor();
    expect(await own.getByRole('link', { name: /^The page of this alert/ }).count()).toBe(0);
    await own.getByLabel('Note (optional)').fill('burner replaced');
    await own.getByRole('button', { name: 'Resolve' }).click();
    await page.locator(`article.alert-card[data-alert-id="${id}"][data-status="resolved"]`).waitFor();
    expect(await own.locator('h2').innerText()).toContain('Resolved');
    expect(await own.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    // From the server again (a shared address): still the alert, resolved, with who resolved it by name.
    await page.reload();
    await page.locator(`article.alert-card[data-alert-id="${id}"][data-status="resolved"]`).waitFor();
    // The card loads its timeline after the alert: wait for the resolution's entry before reading the list.
    const timeline = own.getByRole('list', { name: 'Escalation timeline' });
    await timeline.locator('li', { hasText: 'burner replaced' }).waitFor();
    const steps = await timeline.locator('li').allInnerTexts();
    expect(steps.at(-1)).toContain('burner replaced');
    expect(steps.at(-1)).not.toMatch(/\bp_[a-z0-9]/i);
    await page.goto(`${server.url}/alerts`);
    await page.getByText('No unresolved alerts').waitFor();
  });

  it('refuses the alert page to a reader outside the alert’s subtree, in words', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const listed = await callApi<{ alerts: { id: string }[] }>(
      server.url,
      'alert.list',
      { unitId: shopId, status: 'all' },
      shopToken,
    );
    const id = listed.alerts[0]?.id;
    expect(id).toBeDefined();
    await signIn(other, server.url, 'member@ogas.local');
    await other.goto(`${server.url}/alerts/${id}`);
    await other.getByRole('heading', { level: 1, name: 'Alert' }).waitFor();
    const notice = other.getByRole('alert').first();
    await notice.waitFor();
    expect(await notice.innerText()).toContain('your roles do not allow this here');
    expect(await other.locator('article.alert-card').count()).toBe(0);
    await other.close();
  });

  it("runs under the server's Content-Security-Policy without the browser refusing anything", async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(refused).toEqual([]);
  });
});
