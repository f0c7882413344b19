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
import { buildCompute } from '../app/compute';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'rctab');
const app: App = {
  services: { compute: buildCompute({ workers: 0, perPrincipal: 1, anonymous: 1 }) } as Services,
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

  it("--slices adds RCTab's per-batch report: batch_example, batch MINNEAPOLIS W-1 P-04, byte for byte", async () => {
    const report = (await ogas([
      'vote',
      'tabulate',
      '--rctab',
      join(FIXTURES, 'batch_example', 'batch_example_config.json'),
      '--slices',
      '--json',
    ])) as { slices: { batch: Record<string, unknown> } };
    const file = join(
      FIXTURES,
      'batch_example',
      'Tabulate by Batch',
      'batch_example_expected_MINNEAPOLIS_W-1_P-04_batch_detailed_report.json',
    );
    const slice = JSON.parse(readFileSync(file, 'utf8')) as { config: Record<string, unknown> };
    const expectedSlice = { ...slice, config: { ...slice.config, generatedBy: 'OGAS (RCTab 2.0.0 rules)' } };
    expect(JSON.stringify(report.slices.batch['MINNEAPOLIS W-1 P-04'], null, 2)).toBe(
      JSON.stringify(expectedSlice, null, 2),
    );
    expect(Object.keys(report.slices.batch)).toHaveLength(58);
  }, 120_000);

  it("--slices gives the tallies, inactive ballots and totals of RCTab's per-batch CSV reports of the generic CSV case", async () => {
    const report = (await ogas([
      'vote',
      'tabulate',
      '--rctab',
      join(FIXTURES, 'generic_csv_test', 'generic_csv_test_config.json'),
      '--slices',
      '--json',
    ])) as {
      slices: {
        batch: Record<
          string,
          {
            results: { tally: Record<string, string>; inactiveBallots: Record<string, string> }[];
            summary: { totalNumBallots: string };
          }
        >;
      };
    };
    const folder = join(FIXTURES, 'generic_csv_test', 'Tabulate by Batch');
    const files = readdirSync(folder);
    expect(files).toHaveLength(3);
    for (const f of files) {
      const rows = readFileSync(join(folder, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(','));
      const batch = rows.find((r) => r[0] === 'Batch')?.[1] as string;
      const ours = report.slices.batch[batch];
      expect(ours, batch).toBeDefined();
      expect(ours?.summary.totalNumBallots).toBe(rows.find((r) => r[0] === 'Total Number of Ballots')?.[1]);
      for (const row of rows.filter((r) => ours?.results[0]?.tally[r[0] as string] !== undefined)) {
        ours?.results.forEach((round, i) =>
          expect(round.tally[row[0] as string] ?? '0', `${batch} ${row[0]} round ${i + 1}`).toBe(
            row[1 + 3 * i],
          ),
        );
      }
      const exhausted = rows.find((r) => r[0] === 'Inactive Ballots by Exhausted Choices') as string[];
      ours?.results.forEach((round, i) =>
        expect(round.inactiveBallots.exhaustedChoices).toBe(exhausted[1 + 3 * i]),
      );
    }
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
