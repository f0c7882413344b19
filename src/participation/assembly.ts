// Assemblies of a unit (a co-op's general assembly, a sector council): agenda, attendance and quorum, minutes.
import { z } from 'zod';
import { quorumSchema } from './participation';

export const ASSEMBLY_KINDS = ['general-assembly', 'council', 'meeting'] as const;
export const ASSEMBLY_STATUSES = ['planned', 'open', 'closed'] as const;
export type AssemblyStatus = (typeof ASSEMBLY_STATUSES)[number];

export const documentSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    url: z.string().url().max(2000).optional(),
    text: z.string().max(100_000).optional(),
  })
  .refine((d) => d.url !== undefined || d.text !== undefined, {
    message: 'give a url or the text of the document',
  });
export type AgendaDocument = z.infer<typeof documentSchema>;

export const agendaItemSchema = z.object({
  id: z.string(),
  position: z.number().int(),
  title: z.string(),
  body: z.string(),
  documents: z.array(
    z.object({ title: z.string(), url: z.string().optional(), text: z.string().optional() }),
  ),
  voteId: z.string().nullable(),
  decisionId: z
    .string()
    .nullable()
    .describe('the decision recorded on this item, by its vote or by a show of hands'),
  outcome: z.string().nullable(),
});
export type AgendaItem = z.infer<typeof agendaItemSchema>;

export const assemblySchema = z.object({
  id: z.string(),
  unitId: z.string(),
  title: z.string(),
  kind: z.enum(ASSEMBLY_KINDS),
  scheduledFor: z.date(),
  status: z.enum(ASSEMBLY_STATUSES),
  quorum: quorumSchema,
  attendance: z.object({
    electorateSize: z.number().int().nullable().describe('frozen when the assembly opens'),
    present: z.number().int(),
    needed: z.number().int().nullable(),
    quorumMet: z.boolean(),
  }),
  minutes: z.string(),
  minutesUpdatedAt: z.date().nullable(),
  minutesUpdatedBy: z.string().nullable(),
  openedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  items: z.array(agendaItemSchema),
});
export type Assembly = z.infer<typeof assemblySchema>;
