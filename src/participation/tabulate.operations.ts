// Counting a ranked contest from files, with no database: anyone can check a count with the CLI.

import { z } from 'zod';
import { defineOperation } from '../core/operation';
import { countMeek } from './counting/meek';
import { meekReport, plainMeekResult, plainRcvResult } from './counting/plain-results';
import { rctabReport } from './counting/rcv/rctab-report';
import { tabulateRcvPasses } from './counting/rcv/tabulate';
import { writeBlt } from './cvr/blt';
import { contestInputSchema, loadContestInput, rctabLocalOption } from './contest-input';

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

export const tabulateOperations = [
  defineOperation({
    name: 'vote.tabulate',
    summary:
      "Count a ranked-choice contest from an RCTab configuration and its cast-vote files (or a .blt file), with no database; prints RCTab's detailed report.",
    kind: 'query',
    input: contestInputSchema.extend({
      method: z
        .enum(['rctab', 'meek'])
        .default('rctab')
        .describe(
          "rctab: the configuration's rules (instant runoff or STV); meek: Meek's STV on the same ballots",
        ),
      format: z
        .enum(['rctab', 'ogas'])
        .default('rctab')
        .describe(
          "rctab: RCTab's detailed report, key for key; ogas: rounds with the reason for every decision",
        ),
      decimalPlaces: z.coerce.number().int().min(5).max(30).optional().describe('Meek only (default 9)'),
    }),
    output: z.union([reportSchema.extend({ passes: z.array(reportSchema).optional() }), ogasSchema]),
    access: { kind: 'public' },
    needsStore: false,
    cli: { files: [{ field: 'blt', encoding: 'utf8' }], local: rctabLocalOption },
    handler: async (_ctx, i) => {
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
      const passes = tabulateRcvPasses(loaded.contest, loaded.rules);
      if (i.format === 'ogas') {
        const plain = passes.map(plainRcvResult);
        const last = plain[plain.length - 1] as (typeof plain)[number];
        return plain.length > 1 ? { ...last, winners: plain.flatMap((p) => p.winners), passes: plain } : last;
      }
      const reports = passes.map((p) => rctabReport(p, loaded.header));
      const last = reports[reports.length - 1] as (typeof reports)[number];
      return reports.length > 1 ? { ...last, passes: reports } : last;
    },
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
    handler: async (_ctx, i) => {
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
    },
  }),
];
