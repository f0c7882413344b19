// The subject and stream layout (docs/architecture.md, "Federation"): one stream per direction, one subject
// per node in it. Up: <prefix>.up.<parent>.<child>.<kind>, so a parent reads all its children with one durable
// consumer filtered on <prefix>.up.<parent>.>, and NATS permissions let a child publish only under its own
// name. Down: <prefix>.down.<child>.<kind>, read by the child's durable consumer on <prefix>.down.<child>.>.

export interface Layout {
  /** Subject prefix, "ogas.fed" unless a test or a second federation on the same NATS needs another. */
  prefix: string;
}

export const DEFAULT_PREFIX = 'ogas.fed';

export function streamNames(prefix: string): { up: string; down: string } {
  const base = prefix.replaceAll('.', '_').toUpperCase();
  return { up: `${base}_UP`, down: `${base}_DOWN` };
}

export const upSubject = (prefix: string, parent: string, child: string, kind: string) =>
  `${prefix}.up.${parent}.${child}.${kind}`;
export const downSubject = (prefix: string, child: string, kind: string) => `${prefix}.down.${child}.${kind}`;
export const upFilter = (prefix: string, parent: string) => `${prefix}.up.${parent}.>`;
export const downFilter = (prefix: string, child: string) => `${prefix}.down.${child}.>`;
export const upDurable = (node: string) => `up-${node}`;
export const downDurable = (node: string) => `down-${node}`;

/** The child a subject of the up stream says it comes from (the permissions guarantee it). */
export function senderOfUp(prefix: string, subject: string): string | null {
  const rest = subject.slice(prefix.length + '.up.'.length).split('.');
  return rest.length >= 3 ? (rest[1] ?? null) : null;
}
