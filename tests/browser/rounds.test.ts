// Browser suite: the planner sees the gap of the demo's planning rounds fall round by round and each unit's
// proposals; the manager of the motor-vehicle works sends a proposal by hand, and a bad one is refused in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  chartSummaries,
  cspViolations,
  launchChromium,
  signIn,
  startDemoServer,
  type DemoServer,
} from './harness';

let server: DemoServer;
let browser: Browser;
let page: Page;
let refused: string[] = [];

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  refused = cspViolations(page);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('planning rounds in the Opsroom', () => {
  it('shows the planner the gap falling and every unit’s proposals', async () => {
    await signIn(page, server.url, 'planner@ogas.local');
    await page.goto(`${server.url}/rounds`);
    await page.getByRole('heading', { name: 'Planning rounds' }).waitFor();
    await page
      .getByLabel('Rounds', { exact: true })
      .selectOption({ label: 'Rounds with automatic responders (converged)' });
    await page.getByTestId('rounds-status').getByText('converged').waitFor();
    await page.getByTestId('gap-chart').locator('canvas').first().waitFor();
    const summaries = await chartSummaries(page);
    expect(summaries.some((s) => /The gap fell from .* to 0\.00e\+0/.test(s))).toBe(true);
    const rows = page.getByTestId('rounds-table').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const proposals = page.getByTestId('proposals-table').locator('tbody tr');
    await proposals.first().waitFor();
    expect(await proposals.count()).toBe(56);
    expect(refused).toEqual([]);
  }, 120_000);

  it('lets the manager of C29 propose by hand, and names the field of a bad proposal', async () => {
    await page.context().clearCookies();
    await signIn(page, server.url, 'manufacturing@ogas.local');
    await page.goto(`${server.url}/rounds`);
    await page
      .getByLabel('Rounds', { exact: true })
      .selectOption({ label: 'Rounds with the motor-vehicle works answering by hand (open)' });
    // The demo federation is public, so its record is readable; the proposal is the unit's own view.
    await page.getByTestId('rounds-status').getByText('open').waitFor();
    await page.getByLabel('Unit code').fill('C29');
    await page.getByRole('button', { name: 'Show the unit’s view' }).click();
    const form = page.getByTestId('proposal-form');
    await form.waitFor();
    expect(await page.getByTestId('prices-table').locator('tbody tr').count()).toBeGreaterThan(10);
    const level = form.getByRole('spinbutton').first();
    await level.fill('-5');
    // The browser's own check stops a negative number before it is sent; the server names the field as well.
    await level.evaluate((el) => el.removeAttribute('min'));
    await form.getByRole('button', { name: 'Send the proposal' }).click();
    await page.getByRole('alert').getByText('levels[0].quantity', { exact: true }).waitFor();
    await level.fill('250000');
    await form.getByRole('button', { name: 'Send the proposal' }).click();
    await page.getByTestId('proposal-sent').waitFor();
    const mine = page.getByTestId('unit-proposals').locator('tbody tr', { hasText: 'hand' });
    await mine.first().waitFor();
    expect(await mine.first().textContent()).toContain('250,000');
  }, 120_000);
});
