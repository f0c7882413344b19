// The NATS server configuration of a federation: one user per node, allowed to publish only its own reports
// up (under its own name, to its own parent) and targets down to its own children, to read only its own
// durable consumers (what flows to it), and to take replies only on its own inbox. Pure: a description of the
// tree in, the configuration's text out (`ogas node nats-config` writes it).
//
// Partners (another organisation's federation) get a NATS account of their own: their nodes are users of that
// account, invisible to ours, and the two accounts are joined only by the subjects the partner shares. Our
// account exports, to the partner's account alone, the up subjects of the kinds it shares (as services, so
// JetStream's confirmation comes back) and the JetStream API of its one down consumer; the partner's account
// imports them under its link prefix. Nothing else of either account is visible to the other
// (docs/guide/federation.md, "Partners").
import { z } from 'zod';
import { nodeIdSchema } from './messages';
import { DEFAULT_PREFIX, downDurable, downFilter, streamNames, upDurable, upFilter } from './subjects';

const subjectPrefix = z.string().regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/, 'dot-separated lower-case tokens');

/** A user's credential: a password (plain or a bcrypt hash from `nats server passwd`) or an NKey's public key. */
const credential = {
  password: z.string().min(8).optional(),
  /** The public NKey of the user ("U…", from `ogas node nkey`); the node keeps the seed. Preferred. */
  nkey: z
    .string()
    .regex(/^U[A-Z2-7]{55}$/, 'a public user NKey: "U" and 55 base32 characters (`ogas node nkey` makes one)')
    .optional(),
};
const hasOneCredential = (u: { password?: string | undefined; nkey?: string | undefined }) =>
  (u.password === undefined) !== (u.nkey === undefined);
const oneCredential = { message: 'give exactly one of password and nkey (an NKey is preferred)' };

const treeShape = {
  prefix: subjectPrefix.default(DEFAULT_PREFIX),
  nodes: z
    .array(
      z
        .object({
          id: nodeIdSchema,
          parent: nodeIdSchema.nullable(),
          ...credential,
          opsPrefix: z.string().optional(),
        })
        .refine(hasOneCredential, oneCredential),
    )
    .min(1),
  /** Users that call operations over NATS (the CLI, other programs): publish requests, read their replies. */
  clients: z
    .array(z.object({ user: z.string().min(1), ...credential }).refine(hasOneCredential, oneCredential))
    .default([]),
};

/** What a partner may send up: the kinds of message, each on its own subject. */
export const SHAREABLE_KINDS = ['report', 'units', 'alert', 'ack'] as const;

export const partnerSchema = z.object({
  /** The partner's name in our federation: its central node is our child of this name. */
  id: nodeIdSchema,
  /** Our node it hangs under. */
  parent: nodeIdSchema,
  /** The NATS account holding the partner's own users. */
  account: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'upper-case letters, digits and "_" (e.g. "ACME")'),
  /** The kinds it sends up; anything else it publishes stays in its own account. */
  shares: z.array(z.enum(SHAREABLE_KINDS)).min(1).default(['report', 'units', 'alert', 'ack']),
  /** Subjects in the partner's account that lead into ours (its central's `parentLink.linkPrefix`). */
  linkPrefix: subjectPrefix.default('ogas.link'),
  /** The partner's own federation: its nodes, users and subject prefix, all inside its account. */
  tree: z.object(treeShape),
  /** Which of its nodes is the link (default: its central, the node without a parent). */
  linkNode: nodeIdSchema.optional(),
});

export const federationTreeSchema = z.object({
  ...treeShape,
  partners: z.array(partnerSchema).default([]),
  /** The account of our own nodes when there are partners. */
  account: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .default('OGAS'),
  port: z.number().int().positive().default(4222),
  storeDir: z.string().default('/var/lib/nats'),
});
export type FederationTree = z.input<typeof federationTreeSchema>;
type Tree = { prefix: string; nodes: z.output<typeof federationTreeSchema>['nodes'] };
type Partner = z.output<typeof partnerSchema>;

export interface NodePermissions {
  publish: string[];
  subscribe: string[];
}

/**
 * The JetStream API a node needs for one durable consumer of its own. Creation is allowed only with the
 * consumer's own filter in the subject (the server checks the subject's filter against the request's), so a
 * node cannot make its durable read another node's messages.
 */
export function consumerApi(stream: string, durable: string, filter: string, api = '$JS.API'): string[] {
  return [
    `${api}.CONSUMER.INFO.${stream}.${durable}`,
    `${api}.CONSUMER.CREATE.${stream}.${durable}.${filter}`,
    `${api}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
  ];
}
const ackSubject = (stream: string, durable: string) => `$JS.ACK.${stream}.${durable}.>`;

/** What one node may publish and subscribe to. */
export function nodePermissions(tree: Tree, id: string): NodePermissions {
  const node = tree.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  const { prefix } = tree;
  const s = streamNames(prefix);
  const children = tree.nodes.filter((n) => n.parent === id).map((n) => n.id);
  const consumer = (stream: string, durable: string, filter: string) => [
    ...consumerApi(stream, durable, filter),
    ackSubject(stream, durable),
  ];
  const publish = [
    '$JS.API.INFO',
    `$JS.API.STREAM.INFO.${s.up}`,
    `$JS.API.STREAM.INFO.${s.down}`,
    ...consumer(s.up, upDurable(id), upFilter(prefix, id)),
    ...(node.parent === null ? [] : consumer(s.down, downDurable(id), downFilter(prefix, id))),
    ...(node.parent === null ? [] : [`${prefix}.up.${node.parent}.${id}.>`]),
    ...children.map((c) => `${prefix}.down.${c}.>`),
    // The central node creates the two streams.
    ...(node.parent === null ? [`$JS.API.STREAM.CREATE.${s.up}`, `$JS.API.STREAM.CREATE.${s.down}`] : []),
  ];
  const ops = node.opsPrefix ?? (node.parent === null ? 'ogas.op' : `ogas.node.${id}.op`);
  return { publish, subscribe: [`_INBOX.${id}.>`, `${ops}.>`] };
}

/** A service our account exports to a partner's account, and the name the partner's account imports it by. */
export interface PartnerLinkSubject {
  ours: string;
  theirs: string;
  /** The reply is a stream of messages (a pull consumer's batch), not one answer. */
  streamResponse?: boolean;
}

/** The subjects that join a partner's account to ours (see the head of this file). */
export function partnerLink(prefix: string, p: Partner): PartnerLinkSubject[] {
  const down = streamNames(prefix).down;
  const durable = downDurable(p.id);
  const api = (rest: string) => ({ ours: `$JS.API.${rest}`, theirs: `${p.linkPrefix}.API.${rest}` });
  return [
    ...p.shares.map((kind) => ({
      ours: `${prefix}.up.${p.parent}.${p.id}.${kind}`,
      theirs: `${p.linkPrefix}.up.${kind}`,
    })),
    api(`CONSUMER.INFO.${down}.${durable}`),
    api(`CONSUMER.CREATE.${down}.${durable}.${downFilter(prefix, p.id)}`),
    { ...api(`CONSUMER.MSG.NEXT.${down}.${durable}`), streamResponse: true },
    // Acknowledgements go to the subject the message names, unchanged.
    { ours: ackSubject(down, durable), theirs: ackSubject(down, durable) },
  ];
}

const quote = (s: string) => JSON.stringify(s);
const list = (items: string[], indent: string) =>
  `[\n${items.map((i) => `${indent}  ${quote(i)}`).join(',\n')}\n${indent}]`;
const auth = (u: { password?: string | undefined; nkey?: string | undefined }, indent: string) =>
  u.nkey !== undefined ? `${indent}nkey: ${quote(u.nkey)}` : `${indent}password: ${quote(u.password ?? '')}`;

function checkTree(tree: Tree, where: string): void {
  const ids = new Set(tree.nodes.map((n) => n.id));
  for (const n of tree.nodes)
    if (n.parent !== null && !ids.has(n.parent))
      throw new Error(`${where}node ${n.id}: parent ${n.parent} is not listed`);
}

function users(
  tree: z.output<typeof federationTreeSchema> | Partner['tree'],
  indent: string,
  extra: (id: string) => NodePermissions = () => ({ publish: [], subscribe: [] }),
): string[] {
  const i = indent;
  const nodes = tree.nodes.map((n) => {
    const p = nodePermissions(tree, n.id);
    const x = extra(n.id);
    const user = n.nkey !== undefined ? '' : `${i}  user: ${quote(n.id)}\n`;
    return `${i}{
${i}  # node ${n.id}
${user}${auth(n, `${i}  `)}
${i}  permissions: {
${i}    publish: { allow: ${list([...p.publish, ...x.publish], `${i}    `)} }
${i}    subscribe: { allow: ${list([...p.subscribe, ...x.subscribe], `${i}    `)} }
${i}    # replies to operation requests go to the requester's inbox
${i}    allow_responses: true
${i}  }
${i}}`;
  });
  const clients = tree.clients.map(
    (c) => `${i}{
${i}  # client ${c.user}
${c.nkey !== undefined ? '' : `${i}  user: ${quote(c.user)}\n`}${auth(c, `${i}  `)}
${i}  permissions: {
${i}    publish: { allow: ["ogas.op.>", "ogas.node.*.op.>"] }
${i}    subscribe: { allow: ["_INBOX.>"] }
${i}  }
${i}}`,
  );
  return [...nodes, ...clients];
}

export function natsConfig(input: FederationTree): string {
  const tree = federationTreeSchema.parse(input);
  checkTree(tree, '');
  const head = `# NATS server configuration of an OGAS federation, generated by \`ogas node nats-config\`.
# Each node has its own user: it may publish its reports only under its own name to its own parent, targets
# only to its own children, and read only its own durable consumers (docs/guide/federation.md).
port: ${tree.port}
jetstream {
  store_dir: ${quote(tree.storeDir)}
}
`;
  if (tree.partners.length === 0)
    return `${head}authorization {
  users: [
${users(tree, '    ').join(',\n')}
  ]
}
`;
  const accounts = new Set([tree.account]);
  const ourIds = new Set(tree.nodes.map((n) => n.id));
  const exports: string[] = [];
  // Our node a partner hangs under sends it targets like to any child.
  const partnerTargets = (id: string): NodePermissions => ({
    publish: tree.partners.filter((p) => p.parent === id).map((p) => `${tree.prefix}.down.${p.id}.>`),
    subscribe: [],
  });
  const partnerAccounts: string[] = [];
  for (const p of tree.partners) {
    const where = `partners.${p.id}: `;
    if (accounts.has(p.account)) throw new Error(`${where}account ${p.account} is already used`);
    accounts.add(p.account);
    if (!ourIds.has(p.parent)) throw new Error(`${where}parent ${p.parent} is not one of our nodes`);
    if (ourIds.has(p.id)) throw new Error(`${where}${p.id} is already the name of one of our nodes`);
    const theirs = { ...p.tree, prefix: p.tree.prefix };
    checkTree(theirs, where);
    const linkNode = p.linkNode ?? theirs.nodes.find((n) => n.parent === null)?.id;
    if (linkNode === undefined || !theirs.nodes.some((n) => n.id === linkNode))
      throw new Error(`${where}linkNode: no node ${linkNode ?? '(without a parent)'} in its tree`);
    if (theirs.nodes.some((n) => n.id === p.id))
      // Its link's acknowledgements name our consumer down-<id>; one of its own would take them.
      throw new Error(`${where}its own tree has a node called ${p.id}; give the partner another name`);
    if (p.linkPrefix === theirs.prefix || p.linkPrefix.startsWith(`${theirs.prefix}.`))
      throw new Error(`${where}linkPrefix must lie outside its own prefix ${theirs.prefix}`);
    const link = partnerLink(tree.prefix, p);
    for (const l of link)
      exports.push(
        `      { service: ${quote(l.ours)}, accounts: [${quote(p.account)}]${l.streamResponse ? ', response_type: "stream"' : ''} }`,
      );
    const imports = link.map(
      (l) =>
        `      { service: { account: ${quote(tree.account)}, subject: ${quote(l.ours)} }${l.ours === l.theirs ? '' : `, to: ${quote(l.theirs)}`} }`,
    );
    const linkRights = (id: string): NodePermissions =>
      id === linkNode
        ? { publish: link.map((l) => l.theirs), subscribe: [] }
        : { publish: [], subscribe: [] };
    partnerAccounts.push(`  # partner ${p.id}: its own users; it shares ${p.shares.join(', ')} with us
  ${p.account}: {
    jetstream: enabled
    users: [
${users(theirs, '      ', linkRights).join(',\n')}
    ]
    imports: [
${imports.join('\n')}
    ]
  }`);
  }
  return `${head}accounts {
  ${tree.account}: {
    jetstream: enabled
    users: [
${users(tree, '      ', partnerTargets).join(',\n')}
    ]
    # what each partner may reach of this account, and nothing else
    exports: [
${exports.join('\n')}
    ]
  }
${partnerAccounts.join('\n')}
}
`;
}
