// Browser suite: a member ranks and casts a ballot with the keyboard alone and gets a receipt; the closed
// election shows its rounds as a chart described in words; the assembly shows its quorum; the questions page
// shows answers with their history and the public moderation log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  callApi,
  chartSummaries,
  colourWithoutWords,
  launchChromium,
  signIn,
  startDemoServer,
  tokenFor,
  type DemoServer,
} from './harness';

let server: DemoServer;
let browser: Browser;
let page: Page;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  const token = await tokenFor(server.url, 'member@ogas.local');
  const { votes } = await callApi<{ votes: { id: string; title: string }[] }>(
    server.url,
    'vote.list',
    { status: 'all' },
    token,
  );
  ids.crops = votes.find((v) => v.title.startsWith('Which crop'))?.id ?? '';
  ids.election = votes.find((v) => v.title.startsWith('Delegate'))?.id ?? '';
  const { assemblies } = await callApi<{ assemblies: { id: string }[] }>(
    server.url,
    'assembly.list',
    {},
    token,
  );
  ids.assembly = assemblies[0]?.id ?? '';
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(page, server.url, 'member@ogas.local');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The focused element as its role and accessible name, e.g. `button "Rank Lentils as choice 1"`. */
async function focused(p: Page): Promise<string> {
  const el = p.locator(':focus');
  if ((await el.count()) === 0) return '';
  return ((await el.first().ariaSnapshot()).split('\n')[0] ?? '').replace(/^- /, '').replace(/:$/, '');
}

async function tabTo(p: Page, target: RegExp, max = 80, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await p.keyboard.press(key);
    const now = await focused(p);
    stops.push(now);
    if (target.test(now)) return;
  }
  throw new Error(`Tab never reached ${String(target)}; stops:\n${stops.join('\n')}`);
}

describe('participation in a real browser', () => {
  it('lists the open vote waiting for the member and ranks it with the keyboard alone', async () => {
    await page.goto(`${server.url}/votes`);
    const mine = page.getByRole('region', { name: 'Open votes you can cast' });
    await mine.getByRole('link', { name: 'Which crop should we trial next season?' }).click();
    await page.getByRole('heading', { name: 'Your ranking' }).waitFor();
    await tabTo(page, /^button "Rank Buckwheat as choice 1"/);
    await page.keyboard.press('Enter');
    // Focus moves on to the next candidate still unranked: Lentils is ranked second from the keyboard.
    expect(await focused(page)).toMatch(/^button "Rank Lentils as choice 2"/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^button "Rank Hemp as choice 3"/);
    await tabTo(page, /^button "Move Lentils up"/, 10, 'Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await page.locator('.sr-live').innerText()).toBe('Lentils is now choice 1.');
    expect(await page.locator('ol.ranked li').allInnerTexts()).toEqual([
      expect.stringContaining('1. Lentils'),
      expect.stringContaining('2. Buckwheat'),
    ]);
    await tabTo(page, /^button "Cast my ballot"/);
    await page.keyboard.press('Enter');
    const receipt = await page.getByTestId('receipt').innerText();
    expect(receipt).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  });

  it('shows the closed election round by round, as a chart described in words and as a table', async () => {
    await page.goto(`${server.url}/votes/${ids.election}`);
    await page.getByTestId('rounds-chart').locator('canvas').waitFor();
    expect(await page.locator('[data-outcome]').innerText()).toBe('Elected: Ben Richter.');
    const [summary] = await chartSummaries(page);
    expect(summary).toMatch(
      /^3 rounds\. Round 1: Ana Okafor 3, Ben Richter 3, Cleo Martin 2, Dario Rossi 1; threshold 5\. Dario Rossi eliminated/,
    );
    expect(summary).toContain('Ben Richter elected');
    const rows = await page
      .getByRole('table', { name: 'Votes per round' })
      .locator('tbody tr')
      .allInnerTexts();
    expect(rows[1]).toMatch(/^Ben Richter\s+3\s+4\s+6$/);
    expect(await colourWithoutWords(page)).toEqual([]);
  });

  it('shows the assembly with its quorum and lets a member check in', async () => {
    const abilities = page.waitForResponse((r) => r.url().endsWith('/api/access/abilities'));
    await page.goto(`${server.url}/assemblies/${ids.assembly}`);
    const quorum = page.getByTestId('quorum');
    await quorum.waitFor();
    expect(await quorum.innerText()).toBe('6 of 9 members present; quorum 3 — quorum present.');
    await page.getByRole('button', { name: 'Check in' }).click();
    await page.getByText('7 of 9 members present').waitFor();
    expect(
      await page.getByRole('list', { name: 'Documents of Adopt the 32-hour week' }).innerText(),
    ).toContain('Proposal');
    // Closing it, putting an item to a vote and writing the minutes are for those who govern the unit.
    expect((await abilities).ok()).toBe(true);
    // The render with the server's answer, not only its arrival: before it, an absent form proves nothing.
    await page.locator('section[data-abilities="settled"]').waitFor();
    for (const name of ['Close the assembly', 'Edit the minutes', /^Put .* to a vote/])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
  });

  it('shows answers with their history and the public moderation log on the questions page', async () => {
    const abilities = page.waitForResponse((r) => r.url().endsWith('/api/access/abilities'));
    await page.goto(`${server.url}/questions`);
    const grain = page.locator('article.question', { hasText: 'When will the new grain store open?' });
    await grain.waitFor();
    expect(await grain.innerText()).toContain('In July: the roof delivery is late by a month.');
    await grain.getByText('Edited: 2 versions').click();
    expect(await grain.locator('details li').first().innerText()).toContain('In June.');
    await page.getByRole('button', { name: 'Upvote “Why did the feed price rise in March?”' }).click();
    await page.getByRole('button', { name: 'You upvoted this' }).waitFor();
    // The log loads on its own after the heading shows: wait for its entry (a timeout fails the test).
    const log = page.getByRole('region', { name: 'Moderation log (public)' });
    await log.getByText('a personal attack on a named member').waitFor();
    expect(await log.innerText()).toContain('a personal attack on a named member');
    // A member neither answers nor moderates: once the server has said what they may do, no form is offered.
    expect((await abilities).ok()).toBe(true);
    // The render with the server's answer, not only its arrival: before it, an absent form proves nothing.
    await page.locator('section[data-abilities="settled"]').waitFor();
    expect(await page.locator('details.official').count()).toBe(0);
  });

  it('lets a planner answer a question in public from the page, and offers no moderation', async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(p, server.url, 'planner@ogas.local');
    await p.goto(`${server.url}/questions`);
    const feed = p.locator('article.question', { hasText: 'Why did the feed price rise in March?' });
    await feed.waitFor();
    // Abilities arrive after the list: the planner governs (answers) but does not manage (moderate).
    const official = feed.locator('details.official');
    await official.waitFor();
    await official.locator('summary', { hasText: /^Answer$/ }).click();
    expect(await official.getByRole('button', { name: 'Hide this question' }).count()).toBe(0);
    const words = `Feed rose with the maize harvest; answered ${Date.now()}`;
    await official.getByLabel('Answer in public').fill(words);
    await official.getByRole('button', { name: 'Publish the answer' }).click();
    await feed.getByText(words).waitFor();
    expect(await feed.getByRole('alert').count()).toBe(0);
    await p.close();
  });
});
