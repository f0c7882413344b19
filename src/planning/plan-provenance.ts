// Where a plan's targets and harmony weights came from: the projects and votes of a participatory budget, the
// groups of a priorities vote. Stored with the plan's settings, so every later reader sees the link.
import { z } from 'zod';

export const planProvenanceSchema = z.object({
  targets: z
    .array(
      z.object({
        product: z.string(),
        period: z.number().int(),
        base: z.number().describe("the economy's own target before the budget"),
        total: z.number().describe('the target of the plan: base plus the projects'),
        budgetId: z.string(),
        budgetName: z.string(),
        voteId: z.string().nullable(),
        projects: z.array(z.object({ id: z.string(), name: z.string(), quantity: z.number() })),
      }),
    )
    .describe('for every target a budget changed: the projects and the vote it came from'),
  weights: z
    .object({
      prioritiesId: z.string(),
      name: z.string(),
      voteId: z.string().nullable(),
      groups: z.array(
        z.object({ id: z.string(), name: z.string(), weight: z.number(), products: z.array(z.string()) }),
      ),
    })
    .nullable()
    .describe('the priorities vote that set the harmony weights'),
});
export type PlanProvenance = z.infer<typeof planProvenanceSchema>;
