// Browser suite for the library: the public sees the public record only; search shows facets and marked
// snippets; a record page shows its versions, its file and a citation naming the version; a shop manager
// sees the records of its enterprise and its credential, and publishes a record with a file that then
// turns up in search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
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

async function shows(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: 15_000 });
}

async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

describe('the library in a real browser', () => {
  it('shows the public only the public records, with a marked snippet, versions and a citation', async () => {
    const page = await freshPage();
    await page.goto(`${server.url}/library`);
    await shows(page.getByRole('link', { name: 'Final assembly standard work for passenger cars' }));
    // The public record, and the demo's adopted proposal, which the library publishes on adoption.
    await shows(page.getByRole('link', { name: 'Clip-on trim instead of glued plastic panels' }));
    await shows(page.getByText('2 records found'));
    expect(await page.getByText('Solvent recovery in the paint shop').count()).toBe(0);
    await page.getByLabel('Search the library').fill('takt');
    await page.getByRole('button', { name: 'Search' }).click();
    await shows(page.locator('.snippet mark', { hasText: 'takt' }).first());
    await shows(page.getByRole('group', { name: 'Product' }).getByText('C29 (1)'));
    await page.getByRole('link', { name: 'Final assembly standard work for passenger cars' }).click();
    await shows(page.getByRole('heading', { name: 'Versions' }));
    await shows(page.getByRole('link', { name: 'Version 1' }));
    await shows(page.getByRole('link', { name: 'assembly-checklist.txt' }));
    const citation = page.locator('pre.citation');
    await shows(citation);
    const versionId =
      (await page.locator('p', { hasText: 'Version 2 (' }).locator('code').textContent()) ?? '';
    expect(versionId).toMatch(/^lv_/);
    expect(await citation.textContent()).toContain(`{${versionId},`);
    await page.context().close();
  });

  it('shows a shop manager the records of its enterprise and its credential, and publishes a record with a file', async () => {
    const page = await freshPage();
    await signIn(page, server.url, 'shop@ogas.local');
    await page.goto(`${server.url}/library`);
    await shows(page.getByRole('link', { name: 'Solvent recovery in the paint shop' }));
    await shows(page.getByRole('link', { name: 'Load tables for the body shop crane' }));
    expect(await page.getByText('Grid contract negotiation notes').count()).toBe(0);

    const token = await tokenFor(server.url, 'shop@ogas.local');
    const { units } = await callApi<{ units: { id: string; code: string | null }[] }>(
      server.url,
      'holarchy.unit.search',
      { q: 'C29-SHOP-1' },
      token,
    );
    const shop = units.find((u) => u.code === 'C29-SHOP-1');
    expect(shop).toBeDefined();
    await page.getByText('Publish a record (managers of a unit)').click();
    await page.getByLabel('Unit id').fill(shop!.id);
    await page.getByLabel('Title').fill('Door hinge jig drawing');
    await page.getByLabel('Abstract').fill('The jig that holds the door while its hinges are fitted.');
    await page.getByLabel('File (PDF or text are searchable)').setInputFiles({
      name: 'jig-notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        'Clamp the door at the striker side before fitting the hinges with the quillion bolt.',
      ),
    });
    await page.getByRole('button', { name: 'Publish' }).click();
    await shows(page.getByRole('heading', { name: 'Door hinge jig drawing' }));
    await shows(page.getByRole('link', { name: 'jig-notes.txt' }));
    // The file's text is searchable.
    await page.goto(`${server.url}/library?q=quillion`);
    await shows(page.getByRole('link', { name: 'Door hinge jig drawing' }));
    await page.context().close();
  });

  it('offers publishing only to those who manage a unit', async () => {
    const page = await freshPage();
    await signIn(page, server.url, 'member@ogas.local');
    const abilities = page.waitForResponse((r) => r.url().endsWith('/api/access/abilities'));
    await page.goto(`${server.url}/library`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect((await abilities).ok()).toBe(true);
    // The render with the server's answer, not only its arrival: before it, an absent form proves nothing.
    await page.locator('section[data-abilities="settled"]').waitFor();
    expect(await page.getByText('Publish a record (managers of a unit)').count()).toBe(0);
    await page.context().close();
  });
});
