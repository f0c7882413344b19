// Browser suite: the header says in words when the event stream drops, the page reconnects by itself
// when the server comes back on the same port, and alerts arrive live again afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { callApi, launchChromium, signIn, startDemoServer, tokenFor, type DemoServer } from './harness';

let server: DemoServer;
let browser: Browser;
let page: Page;
let shopId: string;

async function postReadings(values: number[], tag: string) {
  // A token taken after the restart too: sessions live in the database, so the old one would also do.
  const token = await tokenFor(server.url, 'shop@ogas.local');
  await callApi(
    server.url,
    'readings.submit',
    {
      unitId: shopId,
      readings: values.map((value, i) => ({ indicator: 'kiln-temp', value, sourceId: `${tag}-${i}` })),
    },
    token,
  );
}

const marker = () => (window as unknown as { notReloaded?: boolean }).notReloaded;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  const token = await tokenFor(server.url, 'shop@ogas.local');
  const found = await callApi<{ units: { id: string; code: string | null }[] }>(
    server.url,
    'holarchy.unit.search',
    { q: 'C29-SHOP-1' },
    token,
  );
  shopId = found.units.find((u) => u.code === 'C29-SHOP-1')?.id ?? '';
  await callApi(
    server.url,
    'indicator.create',
    {
      unitId: shopId,
      code: 'kiln-temp',
      name: 'Body shop kiln temperature',
      measure: '°C',
      goodDirection: 'target',
      detector: 'spc',
      detectorSettings: { centre: 50, sigma: 1 },
    },
    token,
  );
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(page, server.url, 'shop@ogas.local');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the live connection in a real browser', () => {
  it('says "Live" while the event stream is open', async () => {
    await page.goto(`${server.url}/alerts`);
    await page.getByText('No unresolved alerts').waitFor();
    const status = page.getByRole('status').filter({ hasText: 'Live' });
    await status.waitFor({ timeout: 15_000 });
    expect(await status.innerText()).toContain('Live: readings and alerts arrive as they happen');
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
  });

  it('says in words that the connection is lost when the server stops', async () => {
    const { exitedOnSigterm } = await server.halt();
    if (!exitedOnSigterm)
      console.warn('the server did not exit within 5 s of SIGTERM with an event stream open; it was killed');
    const lost = page.locator('[data-connection="dropped"]');
    await lost.waitFor({ timeout: 15_000 });
    expect(await lost.innerText()).toMatch(/Connection lost at \d\d:\d\d:\d\d; reconnecting \(attempt \d+\)/);
  }, 30_000);

  it('reconnects by itself, without a reload, when the server is back on the same port', async () => {
    await server.restart();
    const back = page.locator('[data-connection="connected"]');
    // The browser retries the stream with a back-off of at most 30 s after a refused attempt.
    await back.waitFor({ timeout: 45_000 });
    expect(await back.innerText()).toMatch(/Reconnected at \d\d:\d\d:\d\d/);
    expect(await page.evaluate(marker)).toBe(true);
  }, 150_000);

  it('still receives a new alert live after reconnecting', async () => {
    await postReadings([50.1, 49.8, 58], 'after-restart');
    // The unit's name follows the card by a moment (names are looked up once the alert is in).
    const card = page.locator('article.alert-card', { hasText: 'Body shop' });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.innerText()).toContain('New');
    expect(await page.evaluate(marker)).toBe(true);
  }, 30_000);
});
