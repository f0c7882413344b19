// Merit events: what the merit record reads about a person's improvements (one event per adoption).
import { z } from 'zod';

export const MERIT_EVENT_KINDS = ['improvement-adopted'] as const;

export const meritEventSchema = z.object({
  id: z.string(),
  personId: z.string().describe('the author credited'),
  kind: z.enum(MERIT_EVENT_KINDS),
  at: z.date(),
  unitId: z.string().describe('the unit that adopted the improvement'),
  proposalId: z.string().nullable(),
  adoptionId: z.string().nullable(),
  hoursSaved: z.number().nullable().describe('labour saved by this adoption, hours per plan period'),
  detail: z.record(z.string(), z.unknown()),
});
export type MeritEvent = z.infer<typeof meritEventSchema>;
