// The monitor.nab operation: scores detectors on an uploaded Numenta Anomaly Benchmark corpus as NAB does.
import { z } from 'zod';
import { offload } from '../core/offload';
import { defineOperation } from '../core/operation';
import { DETECTOR_KINDS } from './detectors/registry';
import type { DetectorKind } from './detectors/detector';
import { runNabBenchmark } from './evaluation/nab-benchmark';
import { NAB_PROFILES } from './evaluation/nab-corpus';
import { gatherNabFolder } from './evaluation/nab-gather';

const stamp = z.string().max(40);
const costMatrix = z.object({
  tpWeight: z.number().nonnegative(),
  fpWeight: z.number().nonnegative(),
  fnWeight: z.number().nonnegative(),
  tnWeight: z.number().optional(),
});
const profileScores = z.record(z.string(), z.number());

const nabInput = z.object({
  files: z
    .array(
      z.object({
        path: z
          .string()
          .regex(/^[\w.-]+\/[\w.-]+\.csv$/, 'a data path like "realKnownCause/nyc_taxi.csv"')
          .describe('the path under data/, as the labels name it'),
        csv: z.string().min(1).max(32_000_000).describe('the file\'s content: "timestamp,value" rows'),
      }),
    )
    .min(1)
    .max(1000)
    .describe('the data files (NAB: data/<category>/<name>.csv)'),
  windows: z
    .record(z.string(), z.array(z.tuple([stamp, stamp])))
    .describe('labels/combined_windows.json: data path → [start, end] of each anomaly window'),
  profiles: z
    .record(z.string(), z.object({ CostMatrix: costMatrix }))
    .optional()
    .describe("config/profiles.json (default: NAB's standard, reward_low_FP_rate, reward_low_FN_rate)"),
  detectors: z
    .array(z.enum(DETECTOR_KINDS as [DetectorKind, ...DetectorKind[]]))
    .min(1)
    .default([...DETECTOR_KINDS])
    .describe('detectors to score, with their default settings (the default detector is listed first)'),
});

/** Characters of all the data files of one call (NAB's own corpus is about 25 MB). */
const NAB_MAX_CHARACTERS = 64 * 1024 * 1024;

/** Scores the detectors on the uploaded corpus: runs in the compute pool. */
export function nabTask(i: z.output<typeof nabInput>) {
  const profiles =
    i.profiles === undefined
      ? NAB_PROFILES
      : Object.fromEntries(Object.entries(i.profiles).map(([k, v]) => [k, v.CostMatrix]));
  return runNabBenchmark(
    { files: i.files, windows: i.windows },
    i.detectors.map((kind) => ({ kind })),
    profiles,
  );
}

export const nabOperations = [
  defineOperation({
    name: 'monitor.nab',
    summary:
      'Score detectors on a NAB corpus as NAB does (best threshold over the corpus per profile, normalised 0 = null detector, 100 = perfect); the CLI gathers a local folder with --nab DIR.',
    kind: 'query',
    input: nabInput,
    output: z.object({
      files: z.number().int(),
      readings: z.number().int(),
      windows: z.number().int(),
      probationPercent: z.number(),
      detectors: z.array(
        z.object({
          detector: z.string(),
          corpus: profileScores.describe('normalised corpus score per profile'),
          thresholds: z.record(z.string(), z.object({ threshold: z.number(), rawScore: z.number() })),
          files: z.array(
            z.object({
              path: z.string(),
              readings: z.number().int(),
              windows: z.number().int(),
              profiles: z.record(
                z.string(),
                z.object({
                  score: z.number(),
                  detected: z.number().int(),
                  falsePositives: z.number().int(),
                  firstDetections: z.array(z.string().nullable()),
                }),
              ),
            }),
          ),
        }),
      ),
      skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
    }),
    access: { kind: 'unit', permission: 'admin', unit: () => null },
    cli: {
      local: {
        options: [
          {
            name: 'nab',
            flag: 'nab',
            description:
              'a folder laid out like NAB (data/, labels/combined_windows.json, config/profiles.json)',
          },
        ],
        gather: (options, files) => gatherNabFolder(options.nab as string, files),
      },
    },
    heavy: {
      limits: [
        {
          field: 'files',
          unit: 'characters',
          max: NAB_MAX_CHARACTERS,
          measure: (i) => i.files.reduce((a, f) => a + f.csv.length, 0),
        },
      ],
    },
    handler: (ctx, i) => offload(ctx, 'monitor.nab', i),
  }),
];
