// A node's place in the federation, kept in $OGAS_HOME/node.json (written by `ogas node init`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nkeyAuthenticator } from 'nats';
import { z } from 'zod';
import { DomainError } from '../core/errors';
import { nodeIdSchema } from './messages';
import { DEFAULT_PREFIX } from './subjects';

const subjectPrefix = z.string().regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/);
/** An NKey user seed ("SU…", from `ogas node nkey`): the node proves it holds it; the server keeps the public key. */
const nkeySeed = z
  .string()
  .regex(/^SU[A-Z2-7]{56}$/, 'a user NKey seed: "SU" and 56 base32 characters (`ogas node nkey` makes one)');

/** What a partner's central node shares with the federation it joins (docs/guide/federation.md, "Partners"). */
export const SHARED_KINDS = ['report', 'units', 'alert', 'ack'] as const;
export type SharedKind = (typeof SHARED_KINDS)[number];

/**
 * The link of a partner federation's central node into another federation, where it is a child: through its
 * own NATS account, which imports only what the other federation exports to it.
 */
export const parentLinkSchema = z.object({
  natsUrl: z.string().min(1).describe('the NATS server of the federation joined (or of the leaf node to it)'),
  natsUser: z.string().min(1).optional(),
  natsPassword: z.string().min(1).optional(),
  natsNkeySeed: nkeySeed.optional(),
  as: nodeIdSchema.describe('the name this federation has as a child there (its `partners[].id`)'),
  parent: nodeIdSchema.describe('the node there it hangs under'),
  /** The subject prefix of the federation joined (its stream names derive from it). */
  prefix: subjectPrefix.default(DEFAULT_PREFIX),
  /** Subjects of this account that lead into the other (`partners[].linkPrefix` of its NATS configuration). */
  linkPrefix: subjectPrefix.default('ogas.link'),
  share: z.object({
    /** Codes of the units whose subtrees are shared; nothing else of this federation is sent. */
    units: z.array(z.string().min(1)).min(1, 'name at least one unit code to share'),
    kinds: z
      .array(z.enum(SHARED_KINDS))
      .min(1)
      .default([...SHARED_KINDS]),
    /** Indicator codes shared (default: every indicator of the shared units). */
    indicators: z.array(z.string().min(1)).optional(),
  }),
});
export type ParentLink = z.output<typeof parentLinkSchema>;

export const nodeSettingsSchema = z
  .object({
    nodeId: nodeIdSchema.describe('this node\'s name, a NATS subject token (e.g. "region-north")'),
    parent: nodeIdSchema.nullable().describe('the parent node; null for the central node'),
    unitId: z
      .string()
      .min(1)
      .describe('the top unit of the subtree this node serves (an id of its database)'),
    natsUrl: z.string().min(1).default('nats://127.0.0.1:4222'),
    natsUser: z.string().min(1).optional().describe("this node's own NATS user (see the NATS configuration)"),
    natsPassword: z.string().min(1).optional(),
    natsNkeySeed: nkeySeed.optional().describe("this node's NKey seed (preferred to a password)"),
    /** Set on the central node of a partner federation: where it joins another federation as a child. */
    parentLink: parentLinkSchema.optional(),
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
  })
  // A partner's central is the root of its own federation; below that, the tree already has a parent.
  .refine((s) => s.parentLink === undefined || s.parent === null, {
    path: ['parentLink'],
    message: 'only a central node (parent null) links into another federation',
  });
export type NodeSettings = z.output<typeof nodeSettingsSchema>;

/** The NATS connection options of a user, password or NKey. */
export function natsAuth(s: {
  natsUser?: string | undefined;
  natsPassword?: string | undefined;
  natsNkeySeed?: string | undefined;
}): { user?: string; pass?: string; authenticator?: ReturnType<typeof nkeyAuthenticator> } {
  if (s.natsNkeySeed !== undefined)
    return { authenticator: nkeyAuthenticator(new TextEncoder().encode(s.natsNkeySeed)) };
  return s.natsUser ? { user: s.natsUser, pass: s.natsPassword ?? '' } : {};
}

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
  const result = nodeSettingsSchema.safeParse(settings);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DomainError('invalid', `${issue?.path.join('.')}: ${issue?.message}`, {
      issues: result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      fix: 'correct the setting named and run `ogas node init` again',
    });
  }
  const parsed = result.data;
  writeFileSync(join(home, NODE_FILE), `${JSON.stringify(parsed, null, 2)}\n`, { mode: 0o600 });
  return parsed;
}
