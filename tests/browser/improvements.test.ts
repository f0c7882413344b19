// Browser suite: the worked example of the demo on the improvements page (an adopted proposal with its two
// adoptions and savings, its timeline), a worker filing a proposal with a deadline, and a manager acknowledging it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  callApi,
  launchChromium,
  signIn,
  startDemoServer,
  tokenFor,
  unitIdByCode,
  type DemoServer,
} from './harness';

let server: DemoServer;
let browser: Browser;
let worker: Page;
let assemblyId = '';

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  const token = await tokenFor(server.url, 'worker@ogas.local');
  assemblyId = await unitIdByCode(server.url, 'C29-SHOP-2', token);
  worker = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(worker, server.url, 'worker@ogas.local');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('improvements in a real browser', () => {
  it('shows the adopted proposal, where it is used and what it saved, with its timeline', async () => {
    expect(assemblyId).not.toBe('');
    await worker.goto(`${server.url}/improvements?unit=${assemblyId}`);
    const card = worker.getByRole('article', { name: 'Clip-on trim instead of glued plastic panels' });
    await card.waitFor();
    await card.getByText('Adopted', { exact: true }).waitFor();
    const used = card.getByRole('table', { name: /Where it is used and what it saved/ });
    // Unit names load after the list; the body shop is not the worker's to read, so it stays an id.
    await used.getByText('Final assembly').waitFor();
    const rows = await used.getByRole('row').allInnerTexts();
    // A header and the two adopting units: final assembly (60 %) and the body shop (40 %).
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/Final assembly\s+60 %/);
    expect(rows[2]).toMatch(/\s40 %/);
    const saved = await callApi<{ adoptions: { labourSaved: number }[] }>(
      server.url,
      'improvement.adoptions',
      { id: (await card.getAttribute('data-proposal-id')) ?? '' },
      await tokenFor(server.url, 'worker@ogas.local'),
    );
    expect(saved.adoptions).toHaveLength(2);
    expect(saved.adoptions.every((a) => a.labourSaved > 0)).toBe(true);
    await card.getByText('Timeline of deadlines and escalation').click();
    const timeline = card.getByRole('list', { name: 'Timeline' });
    await timeline.getByText(/adopted on another unit/).waitFor();
    const lines = await timeline.getByRole('listitem').allInnerTexts();
    expect(lines[0]).toMatch(/Wanda Worker filed/);
    expect(lines.some((l) => /Mika Manager adopted .*trial on line 2/.test(l))).toBe(true);
    // Adopting it elsewhere needs manage on the adopting unit: the worker is not offered it. Both units that run
    // C29 have adopted it, so a manager of both is told so rather than offered a refusal.
    expect(await card.getByRole('button', { name: 'Adopt here too' }).count()).toBe(0);
    const manager = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(manager, server.url, 'manufacturing@ogas.local');
    await manager.goto(`${server.url}/improvements?unit=${assemblyId}`);
    const managed = manager.getByRole('article', { name: 'Clip-on trim instead of glued plastic panels' });
    await managed.getByText('Every unit that runs C29 has adopted it.').waitFor();
    expect(await managed.getByRole('button', { name: 'Adopt here too' }).count()).toBe(0);
    await manager.close();
  });

  it('files a proposal from the form; it shows its acknowledgement deadline until a manager acknowledges it', async () => {
    await worker.goto(`${server.url}/improvements?unit=${assemblyId}`);
    const form = worker.getByRole('form', { name: 'File a proposal' });
    await form.getByLabel('Technology (code)').fill('C29');
    await form.getByLabel('What to change').fill('Reusable crates for door panels');
    await form.getByLabel('Coefficient').selectOption('input');
    await form.getByLabel('Product, skill or resource code').fill('C17');
    await form.getByLabel('New amount per unit of output').fill('0.001');
    await form.getByRole('button', { name: 'File the proposal' }).click();
    const card = worker.getByRole('article', { name: 'Reusable crates for door panels' });
    await card.waitFor();
    await expect(card.getByText(/Must be acknowledged by/).textContent()).resolves.toMatch(/or it climbs/);
    // The worker who filed it does not manage where it stands: no review is offered once the server has said so.
    await expect
      .poll(() =>
        worker.evaluate(() =>
          performance.getEntriesByType('resource').some((e) => e.name.endsWith('/api/access/abilities')),
        ),
      )
      .toBe(true);
    expect(await card.getByText('Review (managers where it stands)').count()).toBe(0);
    // Commenting is any reader's: the worker comments, and the timeline shows it with its words.
    const note = `Crates come back on the same lorry (${Date.now()})`;
    await card.getByLabel('Comment', { exact: true }).fill(note);
    await card.getByRole('button', { name: 'Add the comment' }).click();
    await card.getByText('Timeline of deadlines and escalation').click();
    await card.getByRole('list', { name: 'Timeline' }).getByText(note, { exact: false }).waitFor();

    // An unknown product is refused in words, and nothing is filed.
    await form.getByLabel('What to change').fill('A change of nothing');
    await form.getByLabel('Product, skill or resource code').fill('NOPE');
    await form.getByRole('button', { name: 'File the proposal' }).click();
    await form
      .getByText(/unknown product "NOPE"/)
      .first()
      .waitFor();
    expect(await worker.getByRole('article', { name: 'A change of nothing' }).count()).toBe(0);

    const manager = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(manager, server.url, 'manufacturing@ogas.local');
    await manager.goto(`${server.url}/improvements?unit=${assemblyId}`);
    const mine = manager.getByRole('article', { name: 'Reusable crates for door panels' });
    await mine.getByText('Review (managers where it stands)').click();
    await mine.getByRole('button', { name: 'Acknowledge “Reusable crates for door panels”' }).click();
    await mine.getByText('Acknowledged, under review').waitFor();
    await expect(mine.getByText(/Must be decided by/).textContent()).resolves.toMatch(/or it climbs/);
    await manager.close();
  });

  it('adopts the proposal, then adopts it on the other unit that runs the technology, chosen by name', async () => {
    const manager = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(manager, server.url, 'manufacturing@ogas.local');
    await manager.goto(`${server.url}/improvements?unit=${assemblyId}`);
    const card = manager.getByRole('article', { name: 'Reusable crates for door panels' });
    await card.getByText('Review (managers where it stands)').click();
    await card.getByLabel('Decision').selectOption('adopt');
    await card.getByLabel('Reasons').fill('fewer crates bought');
    await card.getByRole('button', { name: 'Decide' }).click();
    await card.getByText('Adopted', { exact: true }).waitFor();
    // Adopted where it was filed (final assembly); the body shop runs C29 too and has not: it is offered by name.
    const form = card.getByRole('form', { name: 'Adopt “Reusable crates for door panels” on another unit' });
    const choice = form.getByLabel('Adopt on another unit that runs C29');
    await choice.waitFor();
    expect(await choice.locator('option').allInnerTexts()).toEqual(['Body shop']);
    await form.getByRole('button', { name: 'Adopt here too' }).click();
    const used = card.getByRole('table', { name: /Where it is used and what it saved/ });
    await expect.poll(() => used.getByRole('row').count(), { timeout: 15_000 }).toBe(3);
    await used.getByText('Body shop').waitFor();
    await card.getByText('Every unit that runs C29 has adopted it.').waitFor();
    // The worker who filed it manages neither unit: no form, and no hint that would offer one.
    await worker.goto(`${server.url}/improvements?unit=${assemblyId}`);
    const theirs = worker.getByRole('article', { name: 'Reusable crates for door panels' });
    await theirs.getByText('Adopted', { exact: true }).waitFor();
    expect(await theirs.getByRole('button', { name: 'Adopt here too' }).count()).toBe(0);
    await manager.close();
  });
});
