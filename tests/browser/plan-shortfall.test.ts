// Browser suite: the demo's plan-shortfall alert (C29 reports 96 % of its plan, 3 % tolerated) is in the
// Opsroom's inbox from the first start for the sector's manager, like any alert, with the target, the actual,
// the percentage and a link to the plan; a member of another subtree does not see it; it is acknowledged there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  callApi,
  cspViolations,
  launchChromium,
  signIn,
  startDemoServer,
  tokenFor,
  unitIdByCode,
  type DemoServer,
} from './harness';

let server: DemoServer;
let browser: Browser;
let page: Page;
let refused: string[] = [];

// The first start loads the whole demo: on a machine shared with other builds that can take minutes.
beforeAll(async () => {
  server = await startDemoServer(280_000);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  refused = cspViolations(page);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the plan-shortfall alert in the Opsroom', () => {
  it("is in the manufacturing manager's inbox from the first start, naming target, actual, percentage and plan", async () => {
    await signIn(page, server.url, 'manufacturing@ogas.local');
    await page.goto(`${server.url}/alerts`);
    const card = page.locator('article.alert-card[data-kind="plan-shortfall"]');
    await card.waitFor({ timeout: 20_000 });
    expect(await card.count()).toBe(1);
    const heading = await card.locator('h2').innerText();
    expect(heading).toContain('Plan shortfall');
    expect(heading).toMatch(/Gross output is at 96 % of plan "/);
    const facts = card.getByLabel('Plan against actual');
    const text = await facts.innerText();
    expect(text).toMatch(/Target\s+[\d,.]+ USD million\/month/);
    expect(text).toMatch(/Actual\s+[\d,.]+ USD million\/month/);
    expect(text).toMatch(/Of plan\s+96 %/);
    const planLink = facts.getByRole('link').first();
    expect(await planLink.getAttribute('href')).toMatch(/^\/plan\?plan=pl_/);
    expect(await card.innerText()).toContain('Manufacture of motor vehicles');
    expect(refused).toEqual([]);
  });

  it('is acknowledged from the card like any other alert', async () => {
    const card = page.locator('article.alert-card[data-kind="plan-shortfall"]');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await page
      .locator('article.alert-card[data-kind="plan-shortfall"][data-status="acknowledged"]')
      .waitFor();
  });

  it('is not shown to a member of another subtree', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(other, server.url, 'member@ogas.local');
    await other.goto(`${server.url}/alerts`);
    await other.locator('main h1').first().waitFor();
    // The inbox has settled (its list or its empty notice) before the count is read.
    await other.locator('article.alert-card, :text("No unresolved alerts")').first().waitFor();
    expect(await other.locator('article.alert-card[data-kind="plan-shortfall"]').count()).toBe(0);
    await other.close();
  });
});

/** The status and problem of an operation called with a person's token (a refusal is the point here). */
async function attempt(name: string, body: unknown, token: string) {
  const res = await fetch(`${server.url}/api/${name.replace(/\./g, '/')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { issues?: { field: string }[] } };
}

describe('the plan-shortfall tolerance form on the unit page', () => {
  it("lets the sector's manager set the tolerance and window of C29's indicator, and shows it", async () => {
    const token = await tokenFor(server.url, 'manufacturing@ogas.local');
    const c29 = await unitIdByCode(server.url, 'C29', token);
    await page.goto(`${server.url}/units/${c29}`);
    const section = page.locator('section.shortfall-settings');
    // The demo's own setting: 3 % on C29's gross output.
    await section
      .getByText(/Gross output: 3 % below plan tolerated, on the newest reading/)
      .waitFor({ timeout: 20_000 });
    const form = section.getByRole('form', { name: 'Set the tolerance' });
    await form.getByLabel('Applies to').selectOption({ label: 'Gross output' });
    await form.getByLabel('Tolerated below plan (%)').fill('7.5');
    await form.getByLabel('Readings averaged').fill('2');
    await form.getByRole('button', { name: 'Save tolerance' }).click();
    await form.getByRole('status').waitFor();
    expect(await form.getByRole('status').innerText()).toMatch(
      /Saved: 7.5 % below plan tolerated for Gross output, judged on the mean of the newest 2 readings/,
    );
    await section.getByText(/Gross output: 7.5 % below plan tolerated/).waitFor();
    // What the server holds now, as the indicator's own setting.
    const indicatorId = (
      await callApi<{ settings: { indicatorId: string | null; tolerance: number; window: number }[] }>(
        server.url,
        'alert.shortfall-settings',
        { unitId: c29 },
        token,
      )
    ).settings.find((x) => x.indicatorId !== null);
    expect(indicatorId).toMatchObject({ tolerance: 0.075, window: 2 });
    expect(refused).toEqual([]);
  });

  it('names the field of a value the server refuses', async () => {
    const form = page.getByRole('form', { name: 'Set the tolerance' });
    await form
      .getByLabel('Applies to')
      .selectOption({ label: 'All indicators of this unit and the units below' });
    // 100 % would tolerate any shortfall: the browser lets it through (max is the server's to say), the API refuses.
    await form.getByLabel('Tolerated below plan (%)').evaluate((el) => el.removeAttribute('max'));
    await form.getByLabel('Tolerated below plan (%)').fill('100');
    await form.getByRole('button', { name: 'Save tolerance' }).click();
    await form.locator('code', { hasText: 'tolerance' }).waitFor();
  });

  it('is not offered to a member without manage, whose call is refused, nor to a manager outside the subtree', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(other, server.url, 'member@ogas.local');
    const memberToken = await tokenFor(server.url, 'member@ogas.local');
    const a01 = await unitIdByCode(server.url, 'A01', memberToken);
    await other.goto(`${server.url}/units/${a01}`);
    const section = other.locator('section.shortfall-settings');
    await section.getByText('The managers of this unit set its tolerance.').waitFor({ timeout: 20_000 });
    expect(await section.getByRole('form').count()).toBe(0);
    expect(
      (await attempt('alert.shortfall-settings.set', { unitId: a01, tolerance: 0.1 }, memberToken)).status,
    ).toBe(403);
    // The sector's manager manages C29, not the agriculture unit A01.
    const manager = await tokenFor(server.url, 'manufacturing@ogas.local');
    expect(
      (await attempt('alert.shortfall-settings.set', { unitId: a01, tolerance: 0.1 }, manager)).status,
    ).toBe(403);
    await other.close();
  });
});
