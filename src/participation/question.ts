// Public questions: what is shown of a question, its answers and their history, its climb and its moderation.
import { z } from 'zod';

/** Upvotes a question needs before its deadline starts to run, when no setting says otherwise. */
export const DEFAULT_UPVOTE_THRESHOLD = 3;

export const QUESTION_EVENT_KINDS = [
  'asked',
  'threshold',
  'escalated',
  'answered',
  'hidden',
  'shown',
] as const;
export type QuestionEventKind = (typeof QUESTION_EVENT_KINDS)[number];

export const answerSchema = z.object({
  id: z.string(),
  authorName: z.string(),
  body: z.string(),
  version: z.number().int().describe('1 for an answer never edited'),
  createdAt: z.date(),
  updatedAt: z.date(),
  revisions: z
    .array(
      z.object({ version: z.number().int(), body: z.string(), editedBy: z.string(), editedAt: z.date() }),
    )
    .describe('every version, oldest first (the last is the current text)'),
});
export type Answer = z.infer<typeof answerSchema>;

export const questionEventSchema = z.object({
  at: z.date(),
  kind: z.enum(QUESTION_EVENT_KINDS),
  actor: z.string(),
  level: z.object({ unitId: z.string(), depth: z.number().int() }),
  detail: z.record(z.string(), z.unknown()),
});
export type QuestionEvent = z.infer<typeof questionEventSchema>;

export const questionSchema = z.object({
  id: z.string(),
  unitId: z.string().describe('the unit the question was asked of'),
  level: z.object({
    unitId: z.string().describe('the unit it has climbed to (the unit asked, until it climbs)'),
    depth: z.number().int(),
  }),
  title: z.string().nullable().describe('null while hidden, for those who do not moderate the unit'),
  body: z.string().nullable(),
  askerName: z.string(),
  askedAt: z.date(),
  upvotes: z.number().int(),
  upvotedByMe: z.boolean(),
  thresholdReachedAt: z
    .date()
    .nullable()
    .describe('when the upvotes reached the threshold; the deadline runs from then'),
  escalateDueAt: z.date().nullable().describe('when it climbs next if nobody answers'),
  answeredAt: z.date().nullable(),
  hidden: z.boolean(),
  hiddenReason: z.string().nullable(),
  answers: z.array(answerSchema),
});
export type QuestionView = z.infer<typeof questionSchema>;

export const moderationEntrySchema = z.object({
  id: z.number().int(),
  questionId: z.string(),
  unitId: z.string(),
  at: z.date(),
  action: z.enum(['hidden', 'shown']),
  reason: z.string(),
  moderatorName: z.string(),
});
export type ModerationEntry = z.infer<typeof moderationEntrySchema>;

/** True when the question should be on the clock: enough upvotes, unanswered, visible, below the root. */
export function climbs(
  q: { upvotes: number; answeredAt: Date | null; hidden: boolean; levelDepth: number },
  threshold: number,
): boolean {
  return q.upvotes >= threshold && q.answeredAt === null && !q.hidden && q.levelDepth > 0;
}
