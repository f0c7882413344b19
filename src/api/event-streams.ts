// The two server-sent event streams in the OpenAPI document: their paths, event names and the data of each.
import { z } from 'zod';
import type { RunEvent } from '../app/runs';
import { ALERT_EVENT_KINDS, alertSchema, type AlertNotice } from '../cyberstride/alert';
import type { ReadingsNotice } from '../cybernet/readings-bus';
import type { RemoteAlertNotice } from '../federation/federation.service';
import { jsonSchema, type JsonSchema } from './json-schema';

const atSchema = z.object({ at: z.date().describe('when the server sent it') });

export const alertNoticeSchema = z.object({
  type: z.literal('alert'),
  change: z.enum([...ALERT_EVENT_KINDS, 'updated']).describe('what happened to the alert'),
  alert: alertSchema,
});

export const readingsNoticeSchema = z.object({
  readings: z
    .array(
      z.object({
        indicatorId: z.string(),
        unitPath: z.string(),
        count: z.number().int().describe('readings stored in this batch'),
        latestAt: z.date().describe("the batch's latest reading"),
      }),
    )
    .describe('the series that received readings, on units the subscriber may read'),
});

export const remoteAlertNoticeSchema = z.object({
  change: z
    .enum(['received', 'acknowledged'])
    .describe('a state or facts arrived from the node below, or it was acknowledged here or above'),
  originAlertId: z.string().describe('as federation.alerts lists it'),
  unitId: z.string().describe('the unit it landed on'),
  unitPath: z.string(),
  status: z.string().describe('open, acknowledged or resolved'),
});

export const runEventSchema = z.object({
  type: z.enum(['progress', 'done', 'failed', 'cancelled']),
  fraction: z.number().min(0).max(1).optional().describe('share of the work done, when known'),
  message: z.string().describe('what is happening, or why the run failed'),
});

// Compile-time guards: these fail to typecheck if what the streams send and the documented shapes drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const alertNoticeMatches: Same<z.infer<typeof alertNoticeSchema>, AlertNotice> = true;
const runEventMatches: Same<z.infer<typeof runEventSchema>, RunEvent> = true;
const readingsNoticeMatches: Same<z.infer<typeof readingsNoticeSchema>['readings'][number], ReadingsNotice> =
  true;
const remoteAlertNoticeMatches: Same<z.infer<typeof remoteAlertNoticeSchema>, RemoteAlertNotice> = true;
void remoteAlertNoticeMatches;
void readingsNoticeMatches;
void alertNoticeMatches;
void runEventMatches;

interface StreamEvent {
  name: string;
  description: string;
  /** The data's shape: a zod schema, or a JSON Schema (a reference to a component). */
  data: z.ZodType | JsonSchema;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** A GET whose answer is `text/event-stream`; `x-events` gives each event's name and the JSON of its data. */
function streamOperation(
  operationId: string,
  summary: string,
  description: string,
  events: StreamEvent[],
  errors: Record<string, unknown>,
  parameters: unknown[] = [],
): JsonSchema {
  const list = events.map((e) => `\`${e.name}\` (${e.description})`).join(', ');
  return {
    get: {
      operationId,
      summary,
      description: `${description} Server-sent events: each message is \`event: <name>\` and \`data: <JSON>\`. Events: ${list}.`,
      tags: ['events'],
      parameters,
      responses: {
        '200': {
          description:
            'The stream stays open until the client closes it (or, for a run, until the run ends).',
          content: {
            'text/event-stream': {
              schema: { type: 'string', description: 'a stream of server-sent events' },
              'x-events': Object.fromEntries(
                events.map((e) => [
                  e.name,
                  {
                    description: e.description,
                    data: e.data instanceof z.ZodType ? jsonSchema(e.data, 'output') : e.data,
                  },
                ]),
              ),
            },
          },
        },
        ...errors,
      },
    },
  };
}

/** The paths of the event streams, mounted beside the operations (server.ts and ingest/sse-events.ts). */
export function eventStreamPaths(): Record<string, JsonSchema> {
  return {
    '/api/events': streamOperation(
      'events.alerts',
      'Alert changes and new readings on the units the caller may read, as they happen.',
      'Access: any signed-in person or machine token; each alert is sent to whoever may read its unit or the unit it has climbed to, an alert from a node below to whoever may read the unit it landed on.',
      [
        { name: 'ready', description: 'sent once, when the stream opens', data: atSchema },
        {
          name: 'alert',
          description: 'an alert opened, climbed, was acknowledged, resolved or updated',
          data: alertNoticeSchema,
        },
        {
          name: 'readings',
          description: 'readings were stored for these series (open charts fetch them)',
          data: readingsNoticeSchema,
        },
        {
          name: 'federation-alert',
          description:
            'on a federation node: an alert from a node below landed on a unit the caller may read, or changed (federation.alerts has it)',
          data: remoteAlertNoticeSchema,
        },
        {
          name: 'heartbeat',
          description: 'every 15 s, so that proxies keep the connection and clients notice a dead one',
          data: atSchema,
        },
      ],
      { '401': problem('Not signed in') },
    ),
    '/api/runs/{runId}/events': streamOperation(
      'runs.events',
      "A long run's progress and its end, for an operation called with this runId.",
      "Access: whoever started the run, and those who hold the operation's own permission on its unit. Open it before starting the run (the follower is checked when the run starts), or late: the events so far come first. The stream ends after the last event.",
      [
        ...(['progress', 'done', 'failed', 'cancelled'] as const).map((name) => ({
          name,
          description: {
            progress: 'how far the run is',
            done: 'the run ended with its answer (the answer itself comes with the call)',
            failed: 'the run ended with an error',
            cancelled: 'the run was cancelled (system.run.cancel, or the caller went away)',
          }[name],
          data: runEventSchema,
        })),
        {
          name: 'refused',
          description:
            "the stream was opened before the run started, and the run proved not to be the follower's; the stream ends",
          data: { $ref: '#/components/schemas/Problem' },
        },
      ],
      { '401': problem('Not signed in'), '403': problem('The run exists and the caller may not follow it') },
      [
        {
          name: 'runId',
          in: 'path',
          required: true,
          description: 'the runId given to the operation',
          schema: { type: 'string' },
        },
      ],
    ),
  };
}
