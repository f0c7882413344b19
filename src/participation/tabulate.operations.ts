// Counting a ranked contest from files, with no database: anyone can check a count with the CLI.

import { z } from 'zod';
import type { SizeLimit } from '../core/heavy';
import { offload } from '../core/offload';
import { defineOperation } from '../core/operation';
import { countMeek } from './counting/meek';
import { meekReport, plainMeekResult, plainRcvResult } from './counting/plain-results';
import { rctabReport, rctabSliceReports } from './counting/rcv/rctab-report';
import { tabulateRcvPasses } from './counting/rcv/multi-pass';
import { writeBlt } from './cvr/blt';
import { contestInputSchema, loadContestInput, rctabLocalOption, type ContestInput } from './contest-input';

const strings = z.record(z.string(), z.string());

const reportSchema = z.object({
  config: z.record(z.string(), z.string().nullable()),
  jsonFormatVersion: z.string(),
  results: z.array(
    z.object({
      inactiveBallots: strings.describe(
        'inactive ballots by reason: exhaustedChoices, overvotes, repeatedRankings, skippedRankings',
      ),
      round: z.number(),
      tally: strings.describe('votes of each candidate, exact to the configured decimal places'),
      tallyResults: z
        .array(z.record(z.string(), z.unknown()))
        .describe('{elected|eliminated, transfers} of the round'),
      threshold: z.string(),
      keepFactors: strings.optional().describe('Meek only'),
    }),
  ),
  summary: z.object({
    finalThreshold: z.string(),
    numCandidates: z.number(),
    numWinners: z.number(),
    totalNumBallots: z.string(),
    undervotes: z.number(),
  }),
});

const ogasSchema = z.looseObject({
  method: z.enum(['rcv', 'meek']),
  winners: z.array(z.string()),
  rounds: z.array(z.looseObject({ round: z.number() })),
});

const tabulateInput = contestInputSchema.extend({
  method: z
    .enum(['rctab', 'meek'])
    .default('rctab')
    .describe(
      "rctab: the configuration's rules (instant runoff or STV); meek: Meek's STV on the same ballots",
    ),
  format: z
    .enum(['rctab', 'ogas'])
    .default('rctab')
    .describe("rctab: RCTab's detailed report, key for key; ogas: rounds with the reason for every decision"),
  decimalPlaces: z.coerce.number().int().min(5).max(30).optional().describe('Meek only (default 9)'),
  slices: z
    .boolean()
    .default(false)
    .describe(
      'also the per-precinct and per-batch reports the configuration asks for (tabulateByPrecinct, tabulateByBatch)',
    ),
});

/** Characters of the configuration, the cast-vote files and the .blt file together. */
const CONTEST_CHARACTERS: SizeLimit<ContestInput> = {
  field: 'rctabFiles',
  unit: 'characters',
  max: 64 * 1024 * 1024,
  anonymousMax: 4 * 1024 * 1024,
  measure: (i) =>
    (i.rctabConfig?.length ?? 0) +
    (i.blt?.length ?? 0) +
    i.rctabFiles.reduce((a, f) => a + f.content.length, 0),
};

/** Counts the contest: runs in the compute pool. */
export async function tabulateTask(i: z.output<typeof tabulateInput>) {
  const loaded = await loadContestInput(i);
  if (i.method === 'meek') {
    const names = loaded.contest.candidates.map((c) => c.name);
    const withdrawn = loaded.contest.candidates.flatMap((c, k) => (c.excluded ? [k] : []));
    const result = countMeek(names, loaded.contest.ballots, {
      seats: loaded.seats,
      withdrawn,
      ...(i.decimalPlaces === undefined ? {} : { decimalPlaces: i.decimalPlaces }),
    });
    if (i.format === 'ogas') return plainMeekResult(result);
    return meekReport(result, loaded.header, names.length);
  }
  const passes = tabulateRcvPasses(loaded.contest, loaded.rules, {
    slices: i.slices && i.format === 'rctab' ? loaded.sliceKinds : [],
  });
  if (i.format === 'ogas') {
    const plain = passes.map(plainRcvResult);
    const last = plain[plain.length - 1] as (typeof plain)[number];
    return plain.length > 1 ? { ...last, winners: plain.flatMap((p) => p.winners), passes: plain } : last;
  }
  const reports = passes.map((p) => ({
    ...rctabReport(p, loaded.header),
    ...(p.slices ? { slices: rctabSliceReports(p, loaded.header) } : {}),
  }));
  const last = reports[reports.length - 1] as (typeof reports)[number];
  return reports.length > 1 ? { ...last, passes: reports } : last;
}

/** Writes the contest's ballots as a .blt file: runs in the compute pool. */
export async function exportBltTask(i: ContestInput) {
  const { contest, header, seats } = await loadContestInput(i);
  const names = contest.candidates.map((c) => c.name);
  if (contest.undeclaredWriteIns) names.push('Undeclared Write-ins');
  return {
    format: 'blt' as const,
    content: writeBlt({
      title: header.contest,
      candidates: names,
      seats,
      withdrawn: contest.candidates.flatMap((c, k) => (c.excluded ? [k] : [])),
      ballots: contest.ballots,
    }),
  };
}

export const tabulateOperations = [
  defineOperation({
    name: 'vote.tabulate',
    summary:
      "Count a ranked-choice contest from an RCTab configuration and its cast-vote files (or a .blt file), with no database; prints RCTab's detailed report.",
    kind: 'query',
    input: tabulateInput,
    output: z.union([
      reportSchema.extend({
        passes: z.array(reportSchema).optional(),
        slices: z
          .record(z.string(), z.record(z.string(), reportSchema))
          .optional()
          .describe("by slice kind (precinct, batch), then by slice id: RCTab's per-slice report"),
      }),
      ogasSchema,
    ]),
    access: { kind: 'public' },
    needsStore: false,
    cli: { files: [{ field: 'blt', encoding: 'utf8' }], local: rctabLocalOption },
    heavy: { limits: [CONTEST_CHARACTERS], notes: ['at most 500 cast-vote files'] },
    handler: (ctx, i) => offload(ctx, 'vote.tabulate', i),
  }),
  defineOperation({
    name: 'vote.export-blt',
    summary:
      'Write the ballots of an RCTab contest (or of a .blt file) as a .blt file for OpenSTV and other STV programs.',
    kind: 'query',
    input: contestInputSchema,
    output: z.object({ format: z.literal('blt'), content: z.string() }),
    access: { kind: 'public' },
    needsStore: false,
    cli: { files: [{ field: 'blt', encoding: 'utf8' }], local: rctabLocalOption },
    heavy: { limits: [CONTEST_CHARACTERS] },
    handler: (ctx, i) => offload(ctx, 'vote.export-blt', i),
  }),
];
