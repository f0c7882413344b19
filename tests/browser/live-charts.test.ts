// Browser suite, issue 13 "Live and visible" and "Phone": charts follow new readings, have a time range, zoom and
// auto-refresh; alerts outside the window and many alerts stay readable; change points agree with shift alerts;
// escalation shows its level and time left, the inbox keeps its order, the tree shows where alerts sit; higher
// units roll their indicators up; at 390 px no chart text prints over another and no table is cut off unseen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
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
let shopToken: string;
let shopId: string;
let source = 0;

interface Reading {
  value: number;
  at?: string;
}

async function post(indicator: string, readings: (number | Reading)[]) {
  await callApi(
    server.url,
    'readings.submit',
    {
      unitId: shopId,
      readings: readings.map((r) => ({
        indicator,
        ...(typeof r === 'number' ? { value: r } : r),
        sourceId: `live-${source++}`,
      })),
    },
    shopToken,
  );
}

async function define(code: string, name: string, extra: Record<string, unknown> = {}) {
  await callApi(
    server.url,
    'indicator.create',
    {
      unitId: shopId,
      code,
      name,
      measure: '°C',
      goodDirection: 'target',
      detector: 'spc',
      detectorSettings: { centre: 50, sigma: 1 },
      ...extra,
    },
    shopToken,
  );
}

interface AlertRow {
  id: string;
  indicatorId: string;
  rule: string;
  status: string;
  level: { unitId: string; depth: number };
}

async function alertsOf(code: string, status = 'all'): Promise<AlertRow[]> {
  const { indicators } = await callApi<{ indicators: { id: string; code: string }[] }>(
    server.url,
    'indicator.list',
    { unitId: shopId },
    shopToken,
  );
  const id = indicators.find((i) => i.code === code)?.id;
  const { alerts } = await callApi<{ alerts: AlertRow[] }>(
    server.url,
    'alert.list',
    { unitId: shopId, status, limit: 1000 },
    shopToken,
  );
  return alerts.filter((a) => a.indicatorId === id);
}

const iso = (ms: number) => new Date(ms).toISOString();
const figure = (page: Page, code: string) => page.locator(`figure[data-indicator="${code}"]`);
const caption = (page: Page, code: string) => figure(page, code).locator('figcaption');

/** The words drawn in a chart (SVG text), with their boxes. */
async function chartTexts(chart: Locator) {
  return chart.locator('svg text').evaluateAll((nodes) =>
    nodes
      .map((n) => {
        const r = n.getBoundingClientRect();
        return { text: n.textContent ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
      })
      .filter((t) => t.text.trim() !== '' && t.w > 0 && t.h > 0),
  );
}

async function shopPage(width = 1280, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await signIn(page, server.url, 'shop@ogas.local');
  await page.goto(`${server.url}/units/${shopId}`);
  return page;
}

beforeAll(async () => {
  // A shared machine under load can take minutes to import the demo federation.
  server = await startDemoServer(280_000);
  browser = await launchChromium();
  shopToken = await tokenFor(server.url, 'shop@ogas.local');
  shopId = await unitIdByCode(server.url, 'C29-SHOP-1', shopToken);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('live charts', () => {
  it('shows a new reading on an open chart without an alert and without a reload', async () => {
    await define('live-temp', 'Live oven temperature');
    const t0 = Date.now() - 60_000;
    await post('live-temp', [
      { value: 50.1, at: iso(t0) },
      { value: 49.8, at: iso(t0 + 10_000) },
      { value: 50.2, at: iso(t0 + 20_000) },
    ]);
    const page = await shopPage();
    await page.locator('[data-connection="connected"]').waitFor();
    await caption(page, 'live-temp').getByText('latest 50.2 °C').waitFor();
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await post('live-temp', [{ value: 50.7, at: iso(Date.now()) }]);
    await caption(page, 'live-temp').getByText('latest 50.7 °C').waitFor({ timeout: 10_000 });
    expect(await alertsOf('live-temp')).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await page.close();
  });

  it('has a time range that narrows the readings drawn, and an auto-refresh that fetches again', async () => {
    const now = Date.now();
    await define('range-temp', 'Ranged oven temperature');
    await post('range-temp', [
      { value: 50, at: iso(now - 5 * 3600_000) },
      { value: 50.3, at: iso(now - 4 * 3600_000) },
      { value: 49.7, at: iso(now - 20 * 60_000) },
      { value: 50.2, at: iso(now - 10 * 60_000) },
    ]);
    const page = await shopPage();
    const chart = page.getByTestId('indicator-range-temp');
    await chart.locator('svg').waitFor();
    expect(await chart.getAttribute('aria-label')).toContain('4 readings');
    await figure(page, 'range-temp').getByLabel('Time range').selectOption({ label: 'Last hour' });
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="indicator-range-temp"]')
          ?.getAttribute('aria-label')
          ?.includes(': 2 readings') ?? false,
    );
    const refetched = page.waitForRequest((r) => r.url().endsWith('/api/readings/list'), { timeout: 15_000 });
    await figure(page, 'range-temp').getByLabel('Auto-refresh').selectOption({ label: 'Every 10 s' });
    await refetched;
    await page.close();
  });

  it('zooms in time with ctrl and the mouse wheel', async () => {
    const page = await shopPage();
    const chart = page.getByTestId('indicator-range-temp');
    await chart.locator('svg').waitFor();
    const labels = async () =>
      (await chartTexts(chart)).filter((t) => /^\d\d:\d\d$|^\d+ \w{3}$/.test(t.text)).map((t) => t.text);
    const before = await labels();
    // The mouse moves in the viewport: bring the chart into it first (sections above it can push it down).
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    expect(box).not.toBeNull();
    await page.mouse.move((box?.x ?? 0) + (box?.width ?? 0) / 2, (box?.y ?? 0) + (box?.height ?? 0) / 2);
    await page.keyboard.down('Control');
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    // The chart redraws when the browser gets to it: on a loaded machine that can take seconds, so poll.
    await expect.poll(labels, { timeout: 20_000 }).not.toEqual(before);
    expect((await labels()).length).toBeGreaterThan(0);
    await page.close();
  });

  it('marks an alert whose reading lies before the window at the window’s edge', async () => {
    await define('window-temp', 'Windowed oven temperature');
    const start = Date.now() - 2 * 86_400_000;
    await post('window-temp', [
      { value: 50, at: iso(start) },
      { value: 50.2, at: iso(start + 60_000) },
      { value: 58, at: iso(start + 120_000) },
    ]);
    expect(await alertsOf('window-temp')).toHaveLength(1);
    // A thousand quiet readings after it push it out of the latest 1,000 the chart draws.
    await post(
      'window-temp',
      Array.from({ length: 1000 }, (_, i) => ({
        value: 50 + (i % 2 === 0 ? 0.3 : -0.3),
        at: iso(start + (i + 3) * 60_000),
      })),
    );
    const page = await shopPage();
    await caption(page, 'window-temp')
      .getByText('1 alert outside this window (marked at its edge)')
      .waitFor();
    // The caption is React's, the mark is ECharts': the chart may draw a moment after the caption shows.
    const chart = page.getByTestId('indicator-window-temp');
    await chart.locator('svg text', { hasText: '◀ 1' }).first().waitFor({ timeout: 15_000 });
    const texts = (await chartTexts(chart)).map((t) => t.text);
    expect(texts).toContain('◀ 1');
    await page.close();
  }, 180_000);

  it('draws many alerts as a row of counted marks, none on top of another', async () => {
    await define('many-temp', 'Often odd oven temperature');
    const start = Date.now() - 6 * 3600_000;
    // One quiet reading two days earlier: the window spans two days, the alerts its last hours.
    await post('many-temp', [{ value: 50, at: iso(start - 2 * 86_400_000) }]);
    let minute = 0;
    const cycles = 30;
    for (let k = 0; k < cycles; k++) {
      await post('many-temp', [
        { value: 50.1, at: iso(start + minute++ * 60_000) },
        { value: 58, at: iso(start + minute++ * 60_000) },
      ]);
      const open = (await alertsOf('many-temp', 'unresolved'))[0];
      if (open) await callApi(server.url, 'alert.resolve', { id: open.id }, shopToken);
    }
    expect(await alertsOf('many-temp')).toHaveLength(cycles);
    const page = await shopPage();
    const chart = page.getByTestId('indicator-many-temp');
    await chart.locator('svg').waitFor();
    const marks = (await chartTexts(chart)).filter((t) => /^(alert|\d+ alerts)$/.test(t.text));
    const counted = marks.reduce((s, m) => s + (m.text === 'alert' ? 1 : Number(m.text.split(' ')[0])), 0);
    expect(counted).toBe(cycles);
    expect(marks.length).toBeLessThan(cycles);
    const xs = marks.map((m) => m.x).sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) expect((xs[i] ?? 0) - (xs[i - 1] ?? 0)).toBeGreaterThan(4);
    await page.close();
  }, 180_000);
});

describe('escalation made visible', () => {
  it('keeps the inbox order on escalation and reload, and shows the level reached and the time left', async () => {
    await define('esc-a', 'Escalating press A');
    await define('esc-b', 'Escalating press B');
    // Alerts opened at the shop (depth 3) climb after 25 s; the level above keeps its long deadline, so A climbs
    // once (the server's timer runs every 15 s) and then waits there.
    const admin = await tokenFor(server.url, 'admin@ogas.local', server.adminPassword());
    const deadlines = await callApi<{ defaultSeconds: number; byDepth: Record<string, number> }>(
      server.url,
      'escalation.get',
      {},
      admin,
    );
    await callApi(
      server.url,
      'escalation.set',
      { ...deadlines, byDepth: { ...deadlines.byDepth, '3': 25 } },
      admin,
    );
    await post('esc-a', [50.1, 49.9, 58]);
    await new Promise((r) => setTimeout(r, 50));
    await post('esc-b', [50.1, 49.9, 58]);
    await callApi(server.url, 'escalation.set', deadlines, admin);
    const [a] = await alertsOf('esc-a', 'unresolved');
    const [b] = await alertsOf('esc-b', 'unresolved');
    // B is acknowledged (it stays where it is), A climbs: neither may move in the inbox.
    await callApi(server.url, 'alert.acknowledge', { id: b?.id }, shopToken);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, server.url, 'shop@ogas.local');
    await page.goto(`${server.url}/alerts`);
    await page.locator('[data-connection="connected"]').waitFor();
    const card = (id: string) => page.locator(`article.alert-card[data-alert-id="${id}"]`);
    await card(a?.id ?? '').waitFor();
    const order = () =>
      page
        .locator('article.alert-card')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-alert-id')));
    const first = (await order()).filter((id) => id === a?.id || id === b?.id);
    expect(first).toEqual([b?.id, a?.id]);
    await page
      .locator(`article.alert-card[data-alert-id="${a?.id ?? ''}"] .escalation[data-reached="1"]`)
      .waitFor({ timeout: 60_000 });
    expect((await order()).filter((id) => id === a?.id || id === b?.id)).toEqual(first);
    const text = await card(a?.id ?? '').innerText();
    expect(text).toContain('Escalated 1 level up: now at Manufacture of motor vehicles');
    expect(text).toMatch(/step 2 of \d/);
    expect(text).toMatch(/Climbs to Manufacturing in .+ unless acknowledged/);
    expect(
      await card(a?.id ?? '')
        .getByRole('list', { name: /Escalation ladder/ })
        .locator('[aria-current="step"]')
        .innerText(),
    ).toContain('Manufacture of motor vehicles');
    await page.reload();
    await card(a?.id ?? '').waitFor();
    expect((await order()).filter((id) => id === a?.id || id === b?.id)).toEqual(first);
    await page.close();
  }, 180_000);

  it('shows in the unit tree where an alert sits after it climbed', async () => {
    const manager = await tokenFor(server.url, 'manufacturing@ogas.local');
    const { units } = await callApi<{ units: { id: string; code: string | null }[] }>(
      server.url,
      'holarchy.unit.search',
      { q: 'C29' },
      manager,
    );
    const c29 = units.find((u) => u.code === 'C29')?.id ?? '';
    const { alerts } = await callApi<{ alerts: (AlertRow & { unitId: string })[] }>(
      server.url,
      'alert.list',
      { status: 'unresolved', limit: 1000 },
      manager,
    );
    const here = alerts.filter((a) => a.level.unitId === c29);
    const climbed = here.filter((a) => a.unitId !== c29).length;
    expect(climbed).toBeGreaterThan(0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, server.url, 'manufacturing@ogas.local');
    await page.goto(`${server.url}/holarchy`);
    await page.getByRole('button', { name: 'Expand Manufacturing' }).click();
    const row = page.locator(`li.tree-item[data-unit-code="C29"] > .tree-row`);
    await row.locator('.alerts-here').waitFor({ timeout: 15_000 });
    expect(await row.locator('.alerts-here').innerText()).toBe(
      `${here.length} alert${here.length === 1 ? '' : 's'} here (${climbed} climbed from below)`,
    );
    await page.close();
  });
});

describe('rolled-up indicators', () => {
  it('shows a higher unit the cars its shops finish, summed as the indicator declares', async () => {
    const manager = await tokenFor(server.url, 'manufacturing@ogas.local');
    const { units } = await callApi<{ units: { id: string; code: string | null }[] }>(
      server.url,
      'holarchy.unit.search',
      { q: 'C29' },
      manager,
    );
    const c29 = units.find((u) => u.code === 'C29')?.id ?? '';
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, server.url, 'manufacturing@ogas.local');
    await page.goto(`${server.url}/units/${c29}`);
    const fig = page.locator('figure[data-rolled-up="output"]');
    await fig.waitFor();
    const text = await fig.locator('figcaption').innerText();
    expect(text).toContain('summed over 3 units below');
    // The latest hour's value is the sum of the three shops' latest readings (an independent computation).
    const latest = await Promise.all(
      ['C29-SHOP-1', 'C29-SHOP-2', 'C29-SHOP-3'].map(async (code) => {
        const shop = units.find((u) => u.code === code)?.id ?? '';
        const { indicators } = await callApi<{ indicators: { id: string; code: string }[] }>(
          server.url,
          'indicator.list',
          { unitId: shop },
          manager,
        );
        const id = indicators.find((i) => i.code === 'output')?.id ?? '';
        const s = await callApi<{ points: { value: number }[] }>(
          server.url,
          'readings.list',
          { id },
          manager,
        );
        return s.points.at(-1)?.value ?? 0;
      }),
    );
    const sum = latest.reduce((x, y) => x + y, 0);
    const shown = Number(/latest ([\d,.]+) cars\/h/.exec(text)?.[1]?.replace(/,/g, '') ?? 'NaN');
    // Four significant digits are shown.
    expect(Math.abs(shown - sum) / sum).toBeLessThan(5e-4);
    await page.getByTestId('rolled-output').locator('svg').waitFor();
    await page.close();
  });
});

describe('on a 390-pixel phone', () => {
  it('prints no chart text over another (legend, axis title, time labels)', async () => {
    // Its own series, so the test stands alone: a day of readings every 20 minutes, an alert at the end.
    await define('phone-temp', 'Phone oven temperature');
    const start = Date.now() - 24 * 3600_000;
    await post('phone-temp', [
      ...Array.from({ length: 72 }, (_, i) => ({
        value: 50 + (i % 2 === 0 ? 0.4 : -0.4),
        at: iso(start + i * 20 * 60_000),
      })),
      { value: 58, at: iso(start + 72 * 20 * 60_000) },
    ]);
    const page = await shopPage(390, 844);
    for (const code of ['phone-temp']) {
      const chart = page.getByTestId(`indicator-${code}`);
      await chart.locator('svg').waitFor();
      await chart.scrollIntoViewIfNeeded();
      const texts = await chartTexts(chart);
      const clashes: string[] = [];
      for (let i = 0; i < texts.length; i++)
        for (let j = i + 1; j < texts.length; j++) {
          const p = texts[i];
          const q = texts[j];
          if (!p || !q) continue;
          const overlap =
            Math.min(p.x + p.w, q.x + q.w) - Math.max(p.x, q.x) > 1 &&
            Math.min(p.y + p.h, q.y + q.h) - Math.max(p.y, q.y) > 1;
          if (overlap) clashes.push(`"${p.text}" × "${q.text}"`);
        }
      expect(clashes, code).toEqual([]);
    }
    await page.close();
  });

  it('cuts no table off without a cue, on the unit page and the plan page', async () => {
    const planner = await tokenFor(server.url, 'planner@ogas.local');
    const { economies } = await callApi<{ economies: { id: string }[] }>(
      server.url,
      'economy.list',
      {},
      planner,
    );
    await callApi(
      server.url,
      'planning.compute',
      { economyId: economies[0]?.id, name: 'Phone plan' },
      planner,
    );
    await callApi(
      server.url,
      'triple-index.set',
      { unitId: shopId, period: '2026-10', actuality: 96, capability: 121, potentiality: 142 },
      shopToken,
    );
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, server.url, 'planner@ogas.local');
    for (const path of [`/units/${shopId}`, '/plan']) {
      await page.goto(`${server.url}${path}`);
      await page.locator('table').first().waitFor();
      await page.waitForTimeout(500);
      const cut = await page.locator('table').evaluateAll((tables) =>
        tables.flatMap((t) => {
          const wrap = t.closest('.table-wrap');
          const cells = [...t.querySelectorAll('td, th')].filter((c) => {
            const r = c.getBoundingClientRect();
            const box = (wrap ?? document.documentElement).getBoundingClientRect();
            return r.width > 0 && r.right > Math.min(box.right, window.innerWidth) + 1;
          });
          if (cells.length === 0) return [];
          const cue = wrap?.nextElementSibling;
          const visible =
            cue?.classList.contains('scroll-cue') && (cue as HTMLElement).getBoundingClientRect().height > 0;
          return visible ? [] : [t.querySelector('caption')?.textContent ?? 'a table'];
        }),
      );
      expect(cut, path).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.close();
  });
});
