// `npm run screenshots`: PNGs of each main page of the Opsroom under docs/screenshots/, on a fresh demo.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { shotBudgets } from './budget-screenshots';
import { addDemoActivity } from './demo-activity';
import { callApi, launchChromium, ROOT, signIn, startDemoServer, tokenFor } from './harness';

const OUT = join(ROOT, 'docs/screenshots');

async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: options.fullPage ?? false });
  console.log(`docs/screenshots/${name}.png`);
}

async function scrollTo(page: Page, selector: string) {
  await page
    .locator(selector)
    .evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12));
}

async function pageFor(browser: Browser, url: string, email: string | undefined, width = 1280, height = 800) {
  const page = await browser.newPage({ viewport: { width, height } });
  if (email) await signIn(page, url, email);
  return page;
}

/** The demo's worked example: the adopted proposal, where it is used and what it saved, its timeline. */
export async function shotImprovements(browser: Browser, url: string) {
  const mika = await pageFor(browser, url, 'manufacturing@ogas.local', 1280, 1000);
  await mika.goto(`${url}/improvements`);
  const adopted = mika.getByRole('article', { name: 'Clip-on trim instead of glued plastic panels' });
  await adopted.getByText('Final assembly').first().waitFor();
  await adopted.getByText('Timeline of deadlines and escalation').click();
  await adopted.getByRole('list', { name: 'Timeline' }).getByRole('listitem').first().waitFor();
  await adopted.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12));
  await shot(mika, 'improvements');
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  // A shared machine under load can take minutes to import the demo federation.
  const server = await startDemoServer(280_000);
  let browser: Browser | undefined;
  try {
    const { shopId, planId } = await addDemoActivity(server.url);
    browser = await launchChromium();

    const signin = await pageFor(browser, server.url, undefined);
    await signin.goto(`${server.url}/signin`);
    await shot(signin, 'sign-in');

    const planner = await pageFor(browser, server.url, 'planner@ogas.local');
    await planner.goto(`${server.url}/holarchy`);
    await planner.getByRole('button', { name: 'Expand Manufacturing' }).click();
    await planner.getByRole('button', { name: /^Expand Manufacture of motor vehicles/ }).click();
    await planner.getByRole('link', { name: 'Body shop' }).waitFor();
    await shot(planner, 'holarchy');

    await planner.goto(`${server.url}/plan?plan=${planId}`);
    await planner.getByTestId('sankey').locator('canvas').waitFor();
    await shot(planner, 'plan');
    await scrollTo(planner, '#flows-h');
    await shot(planner, 'plan-flows');
    await planner.getByLabel('Plan A').selectOption({ index: 1 });
    await planner.getByLabel('Plan B').selectOption({ index: 0 });
    await planner.getByRole('button', { name: 'Compare' }).click();
    await scrollTo(planner, '#diff-h');
    await shot(planner, 'plan-diff');

    const shop = await pageFor(browser, server.url, 'shop@ogas.local');
    await shop.goto(`${server.url}/units/${shopId}`);
    await shop.getByTestId('indicator-bodies').locator('svg').waitFor();
    await shot(shop, 'unit', { fullPage: true });
    await shop.goto(`${server.url}/my`);
    await shop.locator('article.my-unit').first().waitFor();
    await shot(shop, 'my-units');

    await shop.goto(`${server.url}/alerts`);
    const card = shop.locator('article.alert-card').first();
    await card.waitFor();
    await card.getByRole('button', { name: 'Show timeline' }).click();
    await card.getByRole('list', { name: 'Escalation timeline' }).waitFor();
    await shot(shop, 'alerts');

    const member = await pageFor(browser, server.url, 'member@ogas.local');
    const memberToken = await tokenFor(server.url, 'member@ogas.local');
    const { votes } = await callApi<{ votes: { id: string; title: string }[] }>(
      server.url,
      'vote.list',
      { status: 'all' },
      memberToken,
    );
    const crops = votes.find((v) => v.title.startsWith('Which crop'))?.id ?? '';
    const election = votes.find((v) => v.title.startsWith('Delegate'))?.id ?? '';
    await member.goto(`${server.url}/votes/${crops}`);
    for (const name of [
      'Rank Lentils as choice 1',
      'Rank Buckwheat as choice 2',
      'Rank Sunflowers as choice 3',
    ]) {
      await member.getByRole('button', { name }).click();
    }
    await scrollTo(member, '#ballot-h');
    await shot(member, 'vote-ballot');
    await member.goto(`${server.url}/votes/${election}`);
    await member.getByTestId('rounds-chart').locator('canvas').waitFor();
    await scrollTo(member, '#results-h');
    await shot(member, 'vote-results');
    await planner.goto(`${server.url}/questions`);
    await planner.locator('article.question').first().waitFor();
    await shot(planner, 'questions');
    await shotBudgets(planner, server.url);
    const { assemblies } = await callApi<{ assemblies: { id: string }[] }>(
      server.url,
      'assembly.list',
      {},
      memberToken,
    );
    await member.goto(`${server.url}/assemblies/${assemblies[0]?.id ?? ''}`);
    await member.getByTestId('quorum').waitFor();
    await shot(member, 'assembly');

    await shotImprovements(browser, server.url);
    // The library as the shop manager: facets, marked snippets, and a record with versions and a citation.
    await shop.goto(`${server.url}/library?q=assembly%20or%20crane%20or%20solvent`);
    await shop.locator('.snippet mark').first().waitFor();
    await shot(shop, 'library');
    await shop.getByRole('link', { name: 'Final assembly standard work for passenger cars' }).click();
    await shop.locator('pre.citation').waitFor();
    await shot(shop, 'library-record', { fullPage: true });

    const auditor = await pageFor(browser, server.url, 'auditor@ogas.local');
    await auditor.goto(`${server.url}/audit`);
    await auditor.locator('table').first().waitFor();
    await shot(auditor, 'audit');

    const phone = await pageFor(browser, server.url, 'manufacturing@ogas.local', 390, 844);
    await phone.goto(`${server.url}/holarchy`);
    await phone.getByRole('button', { name: 'Expand Manufacturing' }).click();
    await phone.getByRole('button', { name: /^Expand Manufacture of motor vehicles/ }).click();
    await shot(phone, 'phone-holarchy');
    // The phone views the browser suite checks (tests/browser/live-charts.test.ts, "on a 390-pixel phone").
    await phone.goto(`${server.url}/units/${shopId}`);
    await phone.getByTestId('indicator-bodies').locator('svg').waitFor();
    await scrollTo(phone, '#ind-h');
    await shot(phone, 'phone-unit-chart');
    await scrollTo(phone, '#tri-h');
    await shot(phone, 'phone-unit-table');
    await phone.goto(`${server.url}/alerts`);
    await phone.locator('article.alert-card').first().waitFor();
    await shot(phone, 'phone-alerts');
    const phonePlanner = await pageFor(browser, server.url, 'planner@ogas.local', 390, 844);
    await phonePlanner.goto(`${server.url}/plan?plan=${planId}`);
    await phonePlanner.locator('table').first().waitFor();
    await scrollTo(phonePlanner, '#plans-h');
    await shot(phonePlanner, 'phone-plan');

    // Last, as it stops the server: the header says in words that the live link is gone.
    await shop.goto(`${server.url}/alerts`);
    await shop.locator('[data-connection="connected"]').waitFor();
    await server.halt();
    await shop.locator('[data-connection="dropped"]').waitFor({ timeout: 15_000 });
    await shot(shop, 'connection-lost');
  } finally {
    await browser?.close();
    await server.stop();
  }
}

if (process.argv[2] === '--improvements-only') {
  mkdirSync(OUT, { recursive: true });
  const server = await startDemoServer();
  const browser = await launchChromium();
  try {
    await shotImprovements(browser, server.url);
  } finally {
    await browser.close();
    await server.stop();
  }
} else {
  await main();
}
