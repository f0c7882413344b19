// Every RCTab case of the fixtures, counted through the command line, gives RCTab's detailed report
// exactly: every round's tally, threshold, transfer and inactive count, to the configured decimals.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { invoke } from '../app/invoke';
import type { App } from '../app/container';
import { mountOperations } from '../cli/mount-operations';
import { createLogger } from '../core/logger';
import { SYSTEM } from '../core/principal';
import type { Services } from '../core/services';
import { tabulateOperations } from './tabulate.operations';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'rctab');
const app: App = {
  services: {} as Services,
  clock: { now: () => new Date() },
  store: undefined as never,
  close: async () => {},
};

/** Runs `ogas <args>` through the same command mounting as bin/ogas.js, in this process. */
async function ogas(args: string[]): Promise<unknown> {
  let result: unknown;
  const program = new Command('ogas').exitOverride();
  mountOperations(program, tabulateOperations, async (op, input) => {
    result = await invoke(app, op, input, { principal: SYSTEM, log: createLogger('test') });
  });
  await program.parseAsync(args, { from: 'user' });
  return result;
}

const cases = readdirSync(FIXTURES).filter((d) =>
  existsSync(join(FIXTURES, d, `${d}_expected_detailed_report.json`)),
);

function expected(name: string): Record<string, unknown> {
  const report = JSON.parse(
    readFileSync(join(FIXTURES, name, `${name}_expected_detailed_report.json`), 'utf8'),
  ) as { config: Record<string, unknown> };
  return { ...report, config: { ...report.config, generatedBy: 'OGAS (RCTab 2.0.0 rules)' } };
}

describe('the RCTab cases', () => {
  it('are all present: real elections and rule cases', () => {
    expect(cases).toEqual(
      expect.arrayContaining([
        '2013_minneapolis_park_hare',
        '2013_minneapolis_park',
        '2013_minneapolis_park_bottoms_up',
        '2015_portland_mayor',
        '2017_minneapolis_mayor',
        'test_set_multi_winner_fractional_threshold',
        'uwi_cannot_win_test',
      ]),
    );
    expect(cases).toHaveLength(19);
  });

  it.each(cases)(
    "%s: ogas vote tabulate --rctab gives RCTab's detailed report",
    async (name) => {
      const report = await ogas([
        'vote',
        'tabulate',
        '--rctab',
        join(FIXTURES, name, `${name}_config.json`),
        '--json',
      ]);
      // Byte for byte once printed, key order included: a diff of the two files shows nothing.
      expect(JSON.stringify(report, null, 2)).toBe(JSON.stringify(expected(name), null, 2));
    },
    120_000,
  );

  it("multiPassIrv (an older configuration): the second pass, without the first winner, is RCTab's second report", async () => {
    const name = '2013_minneapolis_park_sequential';
    const report = (await ogas([
      'vote',
      'tabulate',
      '--rctab',
      join(FIXTURES, name, `${name}_config.json`),
      '--json',
    ])) as {
      passes: Record<string, unknown>[];
    };
    expect(report.passes.map((p) => (p.summary as { finalThreshold: string }).finalThreshold)).toHaveLength(
      3,
    );
    const second = JSON.parse(
      readFileSync(join(FIXTURES, name, `${name}_2_expected_detailed_report.json`), 'utf8'),
    ) as {
      config: Record<string, unknown>;
    };
    expect(report.passes[1]).toEqual({
      ...second,
      config: { ...second.config, generatedBy: 'OGAS (RCTab 2.0.0 rules)' },
    });
  }, 120_000);

  it('reads CDF files with aliases as RCTab does (its conversion of the same files)', async () => {
    const blt = (await ogas([
      'vote',
      'export-blt',
      '--rctab',
      join(FIXTURES, 'conversions_from_cdf', 'conversions_from_cdf_config.json'),
      '--json',
    ])) as { content: string };
    const lines = readFileSync(
      join(FIXTURES, 'conversions_from_cdf', 'conversions_from_cdf_expected.csv'),
      'utf8',
    )
      .trim()
      .split('\n')
      .slice(1)
      .map((l) =>
        l
          .split(',')
          .slice(9)
          .filter((c) => c !== 'undervote'),
      );
    const names = blt.content
      .trim()
      .split('\n')
      .slice(-5, -1)
      .map((n) => n.slice(1, -1));
    const fromBlt: string[][] = [];
    for (const line of blt.content.trim().split('\n').slice(1, -6)) {
      const [weight, ...prefs] = line.split(' ');
      for (let k = 0; k < Number(weight); k++) {
        fromBlt.push(prefs.slice(0, -1).map((p) => names[Number(p) - 1] as string));
      }
    }
    expect(names).toEqual([
      'Unused Display Name Candidate A',
      'Candidate B Name File 1',
      'Candidate C Name File 1',
      'Candidate D Name File 1',
    ]);
    expect(fromBlt.map((b) => b.join('|')).sort()).toEqual(lines.map((b) => b.join('|')).sort());
  }, 60_000);
});

describe('the ogas command itself', () => {
  it('counts Minneapolis 2017 (105,928 ballots) from the shell and exits 0', async () => {
    const r = await promisify(execFile)(
      'node',
      [
        'bin/ogas.js',
        'vote',
        'tabulate',
        '--rctab',
        join(FIXTURES, '2017_minneapolis_mayor', '2017_minneapolis_mayor_config.json'),
        '--json',
      ],
      { env: { ...process.env, DATABASE_URL: '' }, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(JSON.parse(r.stdout)).toEqual(expected('2017_minneapolis_mayor'));
  }, 180_000);
});
