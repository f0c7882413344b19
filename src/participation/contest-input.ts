// A ranked contest as an operation receives it: an RCTab configuration with the contents of its
// cast-vote files, or a .blt file; and the CLI's `--rctab` option that gathers those files locally.

import { dirname, isAbsolute } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../core/errors';
import type { CliHints } from '../core/operation';
import type { RctabReportHeader } from './counting/rcv/rctab-report';
import type { RcvContest } from './counting/rcv/result';
import type { RcvRules } from './counting/rcv/rules';
import { readBlt } from './cvr/blt';
import { loadRctabContest } from './cvr/load-contest';
import { parseRctabConfig, parseRctabRules } from './cvr/rctab-config';

const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_CVR_BYTES = 256 * 1024 * 1024;

export const GENERATED_BY = 'OGAS (RCTab 2.0.0 rules)';

const uploadedFile = z.object({
  path: z.string().min(1).max(1000).describe('filePath exactly as the configuration writes it'),
  content: z.string().describe('the file: text as is, or base64 when encoding is "base64" (.xlsx)'),
  encoding: z.enum(['utf8', 'base64']).default('utf8'),
});

export const contestInputSchema = z.object({
  rctabConfig: z
    .string()
    .min(1)
    .optional()
    .describe(
      'an RCTab contest configuration (the JSON text); on the CLI, --rctab CONFIG.json reads it and its files',
    ),
  rctabFiles: z
    .array(uploadedFile)
    .max(500)
    .default([])
    .describe('contents of the cast-vote files the configuration names'),
  blt: z
    .string()
    .min(1)
    .optional()
    .describe('ballots in the .blt format of OpenSTV (on the CLI: --blt FILE)'),
  rules: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe(
      'RCTab rule options for a .blt count, e.g. {"hareQuota": true, "decimalPlacesForVoteArithmetic": 6}',
    ),
});
export type ContestInput = z.output<typeof contestInputSchema>;

/** The CLI's `--rctab CONFIG.json`: reads the configuration and every file it names, relative to its folder. */
export const rctabLocalOption: NonNullable<CliHints['local']> = {
  options: [
    {
      name: 'rctab',
      flag: 'rctab',
      description: 'an RCTab contest configuration; its cast-vote files are read from the paths it names',
    },
  ],
  gather: async (options, files) => {
    const configPath = options.rctab as string;
    const text = (await files.read(configPath, { maxBytes: MAX_CONFIG_BYTES })).toString('utf8');
    let paths: string[] = [];
    try {
      const json = JSON.parse(text) as { cvrFileSources?: { filePath?: unknown }[] };
      paths = (json.cvrFileSources ?? [])
        .map((s) => s?.filePath)
        .filter((p): p is string => typeof p === 'string' && p.trim() !== '');
    } catch {
      // Not JSON: the operation refuses the configuration and says why.
    }
    const rctabFiles = [];
    for (const path of new Set(paths)) {
      const bytes = await files.read(isAbsolute(path) ? path : files.join(dirname(configPath), path), {
        maxBytes: MAX_CVR_BYTES,
      });
      // Spreadsheets are zip archives ("PK"): carried as base64, text files as they are.
      const binary = bytes[0] === 0x50 && bytes[1] === 0x4b;
      rctabFiles.push({
        path,
        content: bytes.toString(binary ? 'base64' : 'utf8'),
        encoding: binary ? 'base64' : 'utf8',
      });
    }
    return { rctabConfig: text, rctabFiles };
  },
};

export interface LoadedInput {
  contest: RcvContest;
  rules: RcvRules;
  header: RctabReportHeader;
  /** Seats and withdrawn candidates of a .blt file (for Meek). */
  seats: number;
}

function bltRules(seats: number, overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    numberOfWinners: seats,
    winnerElectionMode: seats > 1 ? 'multiWinnerAllowMultipleWinnersPerRound' : 'singleWinnerMajority',
    tiebreakMode: 'useCandidateOrder',
    overvoteRule: 'alwaysSkipToNextRank',
    maxSkippedRanksAllowed: 'unlimited',
    maxRankingsAllowed: 'max',
    decimalPlacesForVoteArithmetic: 4,
    ...overrides,
  };
}

/** Parses the contest of an input: exactly one of an RCTab configuration or a .blt file. */
export async function loadContestInput(input: ContestInput): Promise<LoadedInput> {
  if ((input.rctabConfig === undefined) === (input.blt === undefined)) {
    throw new DomainError('invalid', 'give either an RCTab configuration or a .blt file', {
      issues: [
        {
          field: input.blt === undefined ? 'rctabConfig' : 'blt',
          message: 'exactly one of rctabConfig and blt',
        },
      ],
      fix: 'on the command line: --rctab CONFIG.json, or --blt BALLOTS.blt',
    });
  }
  if (input.blt !== undefined) {
    const election = readBlt(input.blt);
    const rules = parseRctabRules(bltRules(election.seats, input.rules ?? {}), election.candidates.length);
    return {
      contest: {
        candidates: election.candidates.map((name, i) => ({
          name,
          excluded: election.withdrawn.includes(i),
        })),
        undeclaredWriteIns: false,
        ballots: election.ballots,
      },
      rules,
      header: {
        contest: election.title || 'Ballots (.blt)',
        date: null,
        jurisdiction: null,
        office: null,
        generatedBy: GENERATED_BY,
      },
      seats: election.seats,
    };
  }
  if (input.rules !== undefined) {
    throw new DomainError('invalid', 'rules apply to .blt counts; an RCTab configuration carries its own', {
      issues: [{ field: 'rules', message: 'not used with rctabConfig' }],
      fix: 'edit the rules section of the configuration instead',
    });
  }
  const config = parseRctabConfig(input.rctabConfig as string);
  const files = new Map(input.rctabFiles.map((f) => [f.path, Buffer.from(f.content, f.encoding)]));
  const { contest } = await loadRctabContest(config, files);
  return {
    contest,
    rules: config.rules,
    header: {
      contest: config.contestName,
      date: config.contestDate,
      jurisdiction: config.contestJurisdiction,
      office: config.contestOffice,
      generatedBy: GENERATED_BY,
    },
    seats: Math.max(config.rules.numberOfWinners, 1),
  };
}
