import { afterAll, beforeAll, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, signIn, startDemoServer, type DemoServer } from './harness';
let server: DemoServer;
let browser: Browser;
beforeAll(async () => {
  server = await startDemoServer(280_000);
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});
it('probe buttons', async () => {
  for (const who of [undefined, 'member@ogas.local']) {
    const p = await browser.newPage();
    if (who) await signIn(p, server.url, who);
    await p.goto(`${server.url}/holarchy`);
    const root = await p.locator('a[href^="/units/"]').first().getAttribute('href');
    for (const path of [root, '/plan', '/rounds', '/votes', '/budgets', '/questions', '/improvements', '/library', '/alerts', '/my']) {
      await p.goto(`${server.url}${path}`);
      await p.locator('h1').first().waitFor();
      await p.waitForTimeout(2500);
      const buttons = await p.locator('button, input[type=submit], a.button').evaluateAll((bs) => bs.map((b) => (b.textContent || (b as HTMLInputElement).value || '').trim()).filter(Boolean));
      console.log('PROBE3', who ?? 'public', path, '|', [...new Set(buttons)].join(' ; ').slice(0, 400));
    }
    await p.close();
  }
}, 300_000);
