// Loads the demo federation once per browser run into a template home; each test file's server starts on a
// copy of it. A first start imports the WIOD table and seeds every capability (about 20 s quiet, 45 s on a
// loaded machine); a copy starts in a few seconds. The first start itself stays tested: this setup fails the
// run when it does not load the demo, and `startDemoServer({ fresh: true })` still starts from nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadDemoInto } from './harness';

declare module 'vitest' {
  export interface ProvidedContext {
    demoTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const home = mkdtempSync(join(tmpdir(), 'ogas-browser-template-'));
  await loadDemoInto(home);
  project.provide('demoTemplate', home);
  return () => rmSync(home, { recursive: true, force: true });
}
