// A node's place in the federation, kept in $OGAS_HOME/node.json (written by `ogas node init`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../core/errors';
import { nodeIdSchema } from './messages';
import { DEFAULT_PREFIX } from './subjects';

export const nodeSettingsSchema = z.object({
  nodeId: nodeIdSchema.describe('this node\'s name, a NATS subject token (e.g. "region-north")'),
  parent: nodeIdSchema.nullable().describe('the parent node; null for the central node'),
  unitId: z.string().min(1).describe('the top unit of the subtree this node serves (an id of its database)'),
  natsUrl: z.string().min(1).default('nats://127.0.0.1:4222'),
  natsUser: z.string().min(1).optional().describe("this node's own NATS user (see the NATS configuration)"),
  natsPassword: z.string().min(1).optional(),
  prefix: z
    .string()
    .regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/)
    .default(DEFAULT_PREFIX),
  /** Operations over NATS are served on <opsPrefix>.<operation name>. */
  opsPrefix: z
    .string()
    .regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/)
    .default('ogas.op'),
  bucketSeconds: z.number().int().positive().default(3600),
  /** How far back a report looks: a node that was offline that long still sends everything it missed. */
  lookbackSeconds: z
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  reportEverySeconds: z.number().positive().default(5),
  /** An alert from below that nobody here acknowledged within this climbs on to the parent node. */
  alertForwardSeconds: z.number().nonnegative().default(900),
});
export type NodeSettings = z.output<typeof nodeSettingsSchema>;

export const NODE_FILE = 'node.json';

export function readNodeSettings(home: string): NodeSettings | null {
  const file = join(home, NODE_FILE);
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new DomainError('invalid', `${file}: not JSON`, { fix: 'run `ogas node init` again' });
  }
  const parsed = nodeSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError('invalid', `${file}: ${issue?.path.join('.')}: ${issue?.message}`, {
      issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      fix: 'run `ogas node init` again',
    });
  }
  return parsed.data;
}

export function writeNodeSettings(home: string, settings: z.input<typeof nodeSettingsSchema>): NodeSettings {
  const parsed = nodeSettingsSchema.parse(settings);
  writeFileSync(join(home, NODE_FILE), `${JSON.stringify(parsed, null, 2)}\n`, { mode: 0o600 });
  return parsed;
}
