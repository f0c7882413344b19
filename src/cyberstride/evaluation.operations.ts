// The change-point evaluation operation: TCPD F1 and cover of a detector over an uploaded dataset folder.
import { z } from 'zod';
import { offload } from '../core/offload';
import { defineOperation } from '../core/operation';
import { DETECTOR_KINDS } from './detectors/registry';
import type { DetectorKind } from './detectors/detector';
import { gatherTcpdFolder, TCPD_UPLOAD_LIMITS } from './evaluation/tcpd-files';
import { EVALUATION_DEFAULTS, evaluateTcpd } from './evaluation/tcpd-evaluate';

const fileSchema = z.object({
  path: z
    .string()
    .min(1)
    .max(1000)
    .describe('path inside the folder, e.g. annotations.json or datasets/nile/nile.json'),
  content: z.string().max(TCPD_UPLOAD_LIMITS.bytesPerFile).describe('the file as UTF-8 text'),
});

const evaluateInput = z.object({
  files: z
    .array(fileSchema)
    .min(1)
    .max(TCPD_UPLOAD_LIMITS.files)
    .refine((fs) => fs.reduce((a, f) => a + f.content.length, 0) <= TCPD_UPLOAD_LIMITS.totalBytes, {
      message: `at most ${TCPD_UPLOAD_LIMITS.totalBytes} characters in all`,
    })
    .describe('the dataset folder: annotations.json and <name>.json or datasets/<name>/<name>.json files'),
  source: z.string().max(500).optional().describe('a name for the upload, used in error messages'),
  detector: z.enum(DETECTOR_KINDS as [DetectorKind, ...DetectorKind[]]).default(EVALUATION_DEFAULTS.detector),
  settings: z.record(z.string(), z.unknown()).optional().describe("the detector's settings (JSON)"),
  changePoints: z
    .enum(['online', 'retrospective'])
    .default(EVALUATION_DEFAULTS.changePoints)
    .describe('online: as signalled reading by reading; retrospective: segmentation of the whole series'),
  segmentation: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('settings of the penalised segmentation (retrospective Harrison–Stevens and SPC)'),
});

const meanSchema = z.object({ f1: z.number(), cover: z.number(), count: z.number() });

/** Scores the detector on the uploaded dataset: runs in the compute pool. */
export function evaluateTask(i: z.output<typeof evaluateInput>) {
  return evaluateTcpd(
    i.files,
    {
      detector: i.detector,
      settings: i.settings,
      changePoints: i.changePoints,
      segmentation: i.segmentation,
    },
    i.source ?? 'files',
  );
}

export const evaluationOperations = [
  defineOperation({
    name: 'monitor.evaluate',
    summary:
      'Score a detector on an uploaded TCPD dataset (flat or TCPD layout): change points, F1 and cover per series.',
    kind: 'query',
    input: evaluateInput,
    output: z.object({
      detector: z.string(),
      changePoints: z.enum(['online', 'retrospective']),
      settings: z.record(z.string(), z.unknown()),
      segmentation: z.record(z.string(), z.unknown()).nullable(),
      series: z.array(
        z.object({
          name: z.string(),
          n: z.number(),
          predicted: z.array(z.number()),
          f1: z.number(),
          precision: z.number(),
          recall: z.number(),
          cover: z.number(),
          synthetic: z.boolean(),
        }),
      ),
      skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
      mean: meanSchema,
      meanReal: meanSchema,
    }),
    access: { kind: 'signed-in' },
    needsStore: false,
    cli: {
      local: {
        options: [
          {
            name: 'tcpd',
            flag: 'tcpd',
            description: 'a TCPD folder on this machine (flat, or TCPD’s datasets/<name>/<name>.json layout)',
          },
        ],
        gather: async (options, files) => {
          const dir = options.tcpd as string;
          return { files: await gatherTcpdFolder(dir, files), source: dir };
        },
      },
    },
    heavy: {
      limits: [
        {
          field: 'files',
          unit: 'characters',
          max: TCPD_UPLOAD_LIMITS.totalBytes,
          measure: (i) => i.files.reduce((a, f) => a + f.content.length, 0),
        },
      ],
    },
    handler: (ctx, i) => offload(ctx, 'monitor.evaluate', i),
  }),
];
