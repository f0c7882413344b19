// Every link a person meets leads somewhere that opens: for the public and for each demo role, a walk over
// the Opsroom's own links from the holarchy, each followed in the page as a click follows it (breadth first,
// at most PER_PATTERN pages of each path shape, e.g. /units/:id, and PAGES pages in all; OGAS_CRAWL_PAGES,
// OGAS_CRAWL_PER_PATTERN raise them, OGAS_CRAWL_SHOW=1 prints the shapes reached) where every page, once no
// section is still loading, shows no error notice, threw no script error, and made no request answered with a
// 5xx (a bug) or a 401/403 (a link to what the reader may not see, or a section the page should have left
// out). Its first walks found the plan-shortfall tolerances refused on public units, and every vote page
// asking for a ballot paper first and falling back on a 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn, startDemoServer, type DemoServer } from './harness';

const PAGES = Number(process.env.OGAS_CRAWL_PAGES ?? 40);
const PER_PATTERN = Number(process.env.OGAS_CRAWL_PER_PATTERN ?? 2);

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

/** A path's shape: ids (u_1a2b…, v_…, digits) become :id, so /units/u_a and /units/u_b count as one kind. */
const shapeOf = (href: string) => {
  const u = new URL(href, 'http://x');
  const path = u.pathname.replace(/\/(?:[a-z]{1,3}_[0-9a-z]{6,}|\d+)(?=\/|$)/gi, '/:id');
  const keys = [...u.searchParams.keys()].sort().join('&');
  return keys ? `${path}?${keys}` : path;
};

/** An address as the Opsroom's <main data-location> writes it: the path, then the query as URLSearchParams does. */
const locationKey = (href: string) => {
  const u = new URL(href, 'http://x');
  const query = u.searchParams.toString();
  return (query ? `${u.pathname}?${query}` : u.pathname).replaceAll('"', '\\"');
};

interface Found {
  page: string;
  problem: string;
}

async function walk(p: Page, start: string): Promise<{ visited: string[]; found: Found[] }> {
  const found: Found[] = [];
  let current = '';
  p.on('response', (r) => {
    const s = r.status();
    if (r.url().includes('/api/') && (s >= 500 || s === 401 || s === 403))
      found.push({ page: current, problem: `${s} from ${new URL(r.url()).pathname}` });
  });
  p.on('pageerror', (e) => found.push({ page: current, problem: `script error: ${e.message}` }));
  const queue = [start];
  const seen = new Set(queue);
  const perShape = new Map<string, number>();
  const visited: string[] = [];
  while (queue.length > 0 && visited.length < PAGES) {
    const href = queue.shift() as string;
    const shape = shapeOf(href);
    if ((perShape.get(shape) ?? 0) >= PER_PATTERN) continue;
    perShape.set(shape, (perShape.get(shape) ?? 0) + 1);
    current = href;
    visited.push(href);
    if (visited.length === 1) await p.goto(`${server.url}${href}`);
    else {
      // The way a person's click on one of the Opsroom's links goes (router.tsx's navigate): the history entry,
      // then the router's render, without loading the page again. A full load per page cost the crawl about
      // half its time (the bundle, the session, the live stream), and loading each address afresh is the
      // out-of-date test's and the other suites' part.
      await p.evaluate((to) => {
        window.history.pushState(null, '', to);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, href);
    }
    // Not the page before: the one this address shows (its render marks <main> with the address).
    await p.locator(`main[data-location="${locationKey(href)}"]`).waitFor();
    await p.locator('h1').first().waitFor();
    await expect
      .poll(() => p.locator('p.loading').count(), { message: `${href} still loading`, timeout: 20_000 })
      .toBe(0);
    for (const text of await p.getByRole('alert').allInnerTexts())
      found.push({ page: href, problem: `notice: ${text.replace(/\s+/g, ' ').slice(0, 200)}` });
    const links = await p
      .locator('a[href^="/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const l of links) {
      // Signing in or out is not a page to check; a download is not a page at all.
      if (!l || l.startsWith('/signin') || l.startsWith('/api/') || seen.has(l)) continue;
      seen.add(l);
      queue.push(l);
    }
  }
  return { visited, found };
}

const WHO: (string | undefined)[] = [
  undefined,
  'member@ogas.local',
  'shop@ogas.local',
  'manufacturing@ogas.local',
  'planner@ogas.local',
  'auditor@ogas.local',
  'admin@ogas.local',
];

describe('following links', () => {
  for (const email of WHO) {
    it(`leads ${email ?? 'the public'} only to pages that open with every section`, async () => {
      const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      // The demo's administrator has a password of its own, made at the first start.
      if (email)
        await signIn(p, server.url, email, email.startsWith('admin@') ? server.adminPassword() : undefined);
      const { visited, found } = await walk(p, '/holarchy');
      await p.close();
      if (process.env.OGAS_CRAWL_SHOW)
        console.log('VISITED', email, [...new Set(visited.map(shapeOf))].join(' '));
      expect(visited.length).toBeGreaterThan(3);
      expect(found).toEqual([]);
    }, 240_000);
  }
});

describe('an address that is out of date', () => {
  it('says so in words under the page heading, with no script error and no 5xx', async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(p, server.url, 'planner@ogas.local');
    const problems: string[] = [];
    p.on('response', (r) => {
      if (r.url().includes('/api/') && r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
    });
    p.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
    // Each kind of page that takes an id, given one that does not exist.
    const gone = [
      '/units/u_gone',
      '/holarchy/u_gone',
      '/votes/v_gone',
      '/budgets/bg_gone',
      '/library/lr_gone',
      '/assemblies/as_gone',
      '/alerts/al_gone',
      '/plan?plan=p_gone',
      '/rounds?rounds=r_gone',
      '/questions?unit=u_gone',
      '/improvements?unit=u_gone',
      '/votes/new?unit=u_gone',
    ];
    for (const href of gone) {
      await p.goto(`${server.url}${href}`);
      await p.locator('h1').first().waitFor();
      await expect
        .poll(() => p.getByRole('alert').count(), { message: `${href}: no notice`, timeout: 20_000 })
        .toBeGreaterThan(0);
      expect(await p.getByRole('alert').first().innerText(), href).toMatch(/not found|no longer exist/i);
    }
    await p.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
