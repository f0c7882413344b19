// Screenshots of the demo budget members voted on, and of the plan targets it set with their provenance
// (part of `npm run screenshots`).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './harness';

export async function shotBudgets(planner: Page, url: string): Promise<void> {
  const shot = async (name: string, fullPage = false) => {
    await planner.waitForTimeout(800);
    await planner.screenshot({ path: join(ROOT, 'docs/screenshots', `${name}.png`), fullPage });
    console.log(`docs/screenshots/${name}.png`);
  };
  await planner.goto(`${url}/budgets`);
  await planner.getByRole('link', { name: 'Federation budget 2027' }).click();
  await planner.getByRole('heading', { name: 'Projects' }).waitFor();
  await shot('budget');
  await planner.getByRole('heading', { name: 'Targets of the plan, and where they came from' }).waitFor();
  await planner
    .locator('#targets-h')
    .evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12));
  await shot('budget-targets');
}
