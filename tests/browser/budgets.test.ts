// Browser suite: a member votes in the demo's open budget (a ballot over the pool is refused in words), the
// planner closes it, computes the plan, and sees every target with the projects and the vote it came from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { callApi, launchChromium, signIn, startDemoServer, tokenFor, type DemoServer } from './harness';

let server: DemoServer;
let browser: Browser;
let budgetId = '';
let votedId = '';

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  const token = await tokenFor(server.url, 'member@ogas.local');
  const { budgets } = await callApi<{ budgets: { id: string; name: string }[] }>(
    server.url,
    'budget.list',
    {},
    token,
  );
  budgetId = budgets.find((b) => b.name === 'Farm district budget')?.id ?? '';
  votedId = budgets.find((b) => b.name === 'Federation budget 2027')?.id ?? '';
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('participatory budgets in a real browser', () => {
  it('shows the demo budget members voted on, with every plan target linked to its projects and vote', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/budgets`);
    await page.getByRole('link', { name: 'Federation budget 2027' }).click();
    await page.getByRole('heading', { name: 'Targets of the plan, and where they came from' }).waitFor();
    expect(page.url()).toContain(votedId);
    const rows = page
      .getByRole('region', { name: 'Targets of the plan, and where they came from' })
      .locator('tbody tr');
    // The rows and their links follow the heading by a moment; the poll's own default (1 s) is short for CI.
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const construction = rows.filter({ has: page.getByRole('rowheader', { name: 'F', exact: true }) });
    await expect.poll(() => construction.count(), { timeout: 15_000 }).toBe(1);
    expect(await construction.innerText()).toMatch(/budget “Federation budget 2027”/);
    await expect
      .poll(() => construction.getByRole('link', { name: 'its vote' }).count(), { timeout: 15_000 })
      .toBe(1);
    await page.close();
  });

  it('lets a member vote within the pool, and the planner close the budget and plan its result', async () => {
    const member = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await member.newPage();
    await signIn(page, server.url, 'member@ogas.local');
    const abilities = page.waitForResponse((r) => r.url().endsWith('/api/access/abilities'));
    await page.goto(`${server.url}/budgets/${budgetId}`);
    await page.getByRole('heading', { name: 'Your ballot' }).waitFor();
    // The planning office is the planners': a member is not offered it.
    expect((await abilities).ok()).toBe(true);
    // The render with the server's answer, not only its arrival: before it, an absent form proves nothing.
    await page.locator('section[data-abilities="settled"]').waitFor();
    expect(await page.getByRole('heading', { name: 'Planning office' }).count()).toBe(0);
    for (const name of [/Cold store/, /Farm shop/, /Village bus/])
      await page.getByRole('checkbox', { name }).check();
    await expect
      .poll(() => page.getByText(/over the pool, remove a project/).count(), { timeout: 15_000 })
      .toBe(1);
    await page.getByRole('button', { name: 'Cast ballot' }).click();
    // The server refuses too, naming the field and the amount over.
    await page
      .getByText(/over the budget of 5000/)
      .first()
      .waitFor();
    await page.getByRole('checkbox', { name: /Farm shop/ }).uncheck();
    await page.getByRole('button', { name: 'Cast ballot' }).click();
    expect(await page.getByTestId('receipt').innerText()).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    await member.close();

    const office = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await office.newPage();
    await signIn(p, server.url, 'planner@ogas.local');
    await p.goto(`${server.url}/budgets/${budgetId}`);
    await p.getByRole('button', { name: 'Close the vote and count' }).click();
    await p.getByTestId('budget-status').filter({ hasText: 'closed' }).waitFor();
    await p.getByRole('button', { name: 'Compute the plan from the result' }).click();
    await p
      .getByRole('heading', { name: 'Targets of the plan, and where they came from' })
      .waitFor({ timeout: 60_000 });
    const table = p.getByRole('region', { name: 'Targets of the plan, and where they came from' });
    // Each target row names the chosen projects behind it, and only those.
    const text = await table.innerText();
    expect(text).toMatch(/budget “Farm district budget”/);
    const projects = p.getByRole('region', { name: 'Projects' });
    const chosen = await projects.locator('tbody tr', { hasText: 'chosen' }).allInnerTexts();
    expect(chosen.length).toBeGreaterThan(0);
    for (const row of chosen) expect(text).toContain(row.split('(')[0]!.trim());
    const notChosen = await projects.locator('tbody tr', { hasNotText: 'chosen' }).allInnerTexts();
    expect(notChosen.length).toBeGreaterThan(0);
    for (const row of notChosen) expect(text).not.toContain(row.split('(')[0]!.trim());
    await office.close();
  });
});
