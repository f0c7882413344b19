// Browser suite: the Opsroom with the keyboard only. Tab reaches every control of sign-in, the navigator,
// the plan form and an alert, and Enter and typing do the work, with no mouse click anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { callApi, launchChromium, signIn, startDemoServer, tokenFor, type DemoServer } from './harness';

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

/** The focused element as its role and accessible name, e.g. `textbox "Email"` ('' when nothing is). */
async function focused(page: Page): Promise<string> {
  const el = page.locator(':focus');
  if ((await el.count()) === 0) return '';
  const snapshot = await el.first().ariaSnapshot();
  const line = (snapshot.split('\n')[0] ?? '').replace(/^- /, '').replace(/:$/, '');
  // The snapshot is YAML: a name with a colon in it comes single-quoted.
  return line.startsWith("'") && line.endsWith("'") ? line.slice(1, -1).replaceAll("''", "'") : line;
}

/** Presses Tab until the focus matches `target`; returns every stop on the way. Fails after `max` presses. */
async function tabTo(page: Page, target: RegExp, max = 120): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    stops.push(now);
    if (target.test(now)) return stops;
  }
  throw new Error(`Tab never reached ${String(target)}; stops:\n${stops.join('\n')}`);
}

function expectAll(stops: string[], wanted: RegExp[]) {
  for (const w of wanted) {
    const where = `no Tab stop matches ${String(w)} in:\n${stops.join('\n')}`;
    expect(
      stops.some((s) => w.test(s)),
      where,
    ).toBe(true);
  }
}

describe('the Opsroom with the keyboard only', () => {
  let page: Page;

  it('signs in from the keyboard, with the skip link first', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/signin`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const stops = await tabTo(page, /^textbox "Email"/);
    expect(stops[0]).toBe('link "Skip to content"');
    await page.keyboard.type('planner@ogas.local');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^textbox "Password"/);
    await page.keyboard.type('ogas-demo-2014');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button "Sign in"');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('walks the navigator to a shop: expand, zoom, search and open, all by Tab and Enter', async () => {
    // Typing the address starts again from the top of the page, as a fresh load does.
    await page.goto(`${server.url}/holarchy`);
    await page.getByRole('button', { name: 'Expand Manufacturing' }).waitFor();
    const header = await tabTo(page, /^button "Expand Manufacturing"/);
    expectAll(header, [
      /^link "Holarchy"/,
      /^link "Plan"/,
      /^link "Alerts/,
      /^button "Sign out"/,
      /^searchbox "Find a unit"|^textbox "Find a unit"/,
      /^button "Search"/,
    ]);
    await page.keyboard.press('Enter');
    const inside = await tabTo(page, /^button "Expand Manufacture of motor vehicles/);
    expectAll(inside, [/^link "Zoom in to Manufacturing"/]);
    await page.keyboard.press('Enter');
    await tabTo(page, /^link "Body shop"/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Body shop' }).waitFor();
  });

  it('reaches every control of the plan form and computes a plan with Enter', async () => {
    await page.goto(`${server.url}/plan`);
    await page.getByRole('button', { name: 'Compute' }).waitFor();
    const stops = await tabTo(page, /^textbox "Name"/);
    expectAll(stops, [/^combobox "Economy"/]);
    await page.keyboard.type('Keyboard plan');
    const rest = await tabTo(page, /^button "Compute"/);
    expectAll(rest, [
      /^combobox "Scenario of"/,
      /^combobox "Objective"/,
      /^combobox "Solver"/,
      /^combobox "Target of product"/,
      /^spinbutton "New target \(period 1\)"/,
      /^spinbutton ".* available"/,
    ]);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: /Keyboard plan\s+optimal/ }).waitFor();
    const after = await tabTo(page, /^combobox "Flows of product"/);
    expectAll(after, [/^button "Keyboard plan"/]);
  });

  it('acknowledges an alert with a note, by Tab, typing and Enter', async () => {
    const token = await tokenFor(server.url, 'shop@ogas.local');
    const found = await callApi<{ units: { id: string; code: string | null }[] }>(
      server.url,
      'holarchy.unit.search',
      { q: 'C29-SHOP-1' },
      token,
    );
    const unitId = found.units.find((u) => u.code === 'C29-SHOP-1')?.id ?? '';
    await callApi(
      server.url,
      'indicator.create',
      {
        unitId,
        code: 'press-force',
        name: 'Press force',
        measure: 'kN',
        goodDirection: 'target',
        detector: 'spc',
        detectorSettings: { centre: 50, sigma: 1 },
      },
      token,
    );
    const shop = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(shop, server.url, 'shop@ogas.local');
    await shop.goto(`${server.url}/alerts`);
    await shop.locator('[data-connection="connected"]').waitFor();
    await callApi(
      server.url,
      'readings.submit',
      {
        unitId,
        readings: [50.2, 49.9, 58].map((value, i) => ({
          indicator: 'press-force',
          value,
          sourceId: `kb-${i}`,
        })),
      },
      token,
    );
    await shop.locator('article.alert-card').waitFor({ timeout: 15_000 });
    await tabTo(shop, /^textbox "Note \(optional\)"/);
    await shop.keyboard.type('on it');
    await shop.keyboard.press('Tab');
    expect(await focused(shop)).toBe('button "Acknowledge"');
    const actions = await tabTo(shop, /^button "Show timeline"/);
    expectAll(actions, [/^button "Resolve"/]);
    await shop.keyboard.press('Shift+Tab');
    await shop.keyboard.press('Shift+Tab');
    expect(await focused(shop)).toBe('button "Acknowledge"');
    await shop.keyboard.press('Enter');
    await shop.locator('article.alert-card[data-status="acknowledged"]').waitFor();
    await tabTo(shop, /^button "Show timeline"/);
    await shop.keyboard.press('Enter');
    await shop.getByRole('list', { name: 'Escalation timeline' }).getByText('on it').waitFor();
  });
});
