// Browser suite: the demo's plan-shortfall alert (C29 reports 96 % of its plan, 3 % tolerated) is in the
// Opsroom's inbox from the first start for the sector's manager, like any alert, with the target, the actual,
// the percentage and a link to the plan; a member of another subtree does not see it; it is acknowledged there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cspViolations, launchChromium, signIn, startDemoServer, type DemoServer } from './harness';

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
