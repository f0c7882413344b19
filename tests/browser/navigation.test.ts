// Browser suite: signing in and out, walking the holarchy down to a shop, and a page the reader may not see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  callApi,
  colourWithoutWords,
  launchChromium,
  signIn,
  startDemoServer,
  tokenFor,
  type DemoServer,
} from './harness';

let server: DemoServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Waits until the element is visible; fails the test with Playwright's timeout error otherwise. */
async function shows(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: 15_000 });
}

async function freshPage(width = 1280, height = 800): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  return context.newPage();
}

describe('the Opsroom in a real browser', () => {
  it('shows the public view before sign-in, then the person and their roles after signing in', async () => {
    const page = await freshPage();
    await page.goto(`${server.url}/holarchy`);
    await shows(page.getByText('Public view'));
    await signIn(page, server.url, 'planner@ogas.local');
    await shows(page.getByText('Pat Planner'));
    await shows(page.getByText('(planner)'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Public view').waitFor();
    await page.context().close();
  });

  it('shows a wrong password as words from the server, not a blank page', async () => {
    const page = await freshPage();
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('Email').fill('planner@ogas.local');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.innerText()).length).toBeGreaterThan(10);
    await page.context().close();
  });

  it('walks the holarchy from the root down to a shop, with breadcrumbs from the root', async () => {
    const page = await freshPage();
    await signIn(page, server.url, 'planner@ogas.local');
    await page.goto(`${server.url}/holarchy`);
    await page.getByRole('button', { name: 'Expand Manufacturing' }).click();
    await page.getByRole('button', { name: /^Expand Manufacture of motor vehicles/ }).click();
    await page.getByRole('link', { name: 'Body shop' }).click();
    await page.getByRole('heading', { level: 1, name: 'Body shop' }).waitFor();
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
    await shows(crumbs.getByRole('link', { name: 'Demo Federation (Germany 2014)' }));
    await shows(crumbs.getByRole('link', { name: 'Manufacturing' }));
    expect(await crumbs.locator('[aria-current="page"]').innerText()).toBe('Body shop');
    expect(await colourWithoutWords(page)).toEqual([]);
    await page.context().close();
  });

  it('finds a unit by search and opens its page, with breadcrumbs', async () => {
    const page = await freshPage(390, 844);
    await signIn(page, server.url, 'planner@ogas.local');
    await page.goto(`${server.url}/holarchy`);
    await page.getByLabel('Find a unit').fill('Paint');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Paint shop' }).click();
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByText('Paint shop').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it('tells a shop manager in words that another enterprise is not theirs to see', async () => {
    const token = await tokenFor(server.url, 'planner@ogas.local');
    const found = await callApi<{ units: { id: string; code: string | null }[] }>(
      server.url,
      'holarchy.unit.search',
      { q: 'C28' },
      token,
    );
    const c28 = found.units.find((u) => u.code === 'C28');
    expect(c28).toBeDefined();
    const page = await freshPage();
    await signIn(page, server.url, 'shop@ogas.local');
    await page.goto(`${server.url}/units/${c28?.id ?? ''}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('You are signed in, but your roles do not allow this here.');
    expect(await alert.innerText()).toContain('ask an admin');
    await page.context().close();
  });

  it('loads the chart library only when a page shows a chart', async () => {
    const page = await freshPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await signIn(page, server.url, 'planner@ogas.local');
    await page.goto(`${server.url}/holarchy`);
    await page.getByRole('button', { name: 'Expand Manufacturing' }).waitFor();
    expect(scripts.some((s) => s.includes('echarts'))).toBe(false);
    await page.getByRole('link', { name: 'Plan', exact: true }).click();
    await page.getByTestId('sankey').locator('canvas').waitFor();
    expect(scripts.filter((s) => s.includes('echarts-sankey'))).toHaveLength(1);
    expect(scripts.some((s) => s.includes('echarts-line'))).toBe(false);
    await page.context().close();
  });
});
