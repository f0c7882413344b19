// The shared last step of the MQTT and NATS adapters: authenticate a message, then call readings.submit
// (or record it with readings.reject when it cannot be attributed).
import type { BaseLogger as Logger } from 'pino';
import type { App } from '../app/container';
import { invoke } from '../app/invoke';
import { findOperation } from '../app/registry';
import { isDomainError } from '../core/errors';
import { storableCopy, storableText, textProblem } from '../core/input-guard';
import { SYSTEM, type Principal } from '../core/principal';
import type { Channel, QuarantineReason } from '../cybernet/reading';
import type { ParsedMessage } from './reading-message';

export interface SubmitContext {
  app: App;
  log: Logger;
  channel: Channel;
  /** When the broker authenticates publishers and restricts them to `ogas/<their unit>/#` (MQTT ACL). */
  trustTopicUnit: boolean;
}

const REASON_OF: Partial<Record<string, QuarantineReason>> = {
  forbidden: 'unit-not-covered',
  unauthenticated: 'unauthenticated',
  'not-found': 'unknown-indicator',
};

function op(name: string) {
  const found = findOperation(name);
  if (!found) throw new Error(`operation ${name} is not registered`);
  return found;
}

async function unitIdOf(app: App, ref: string): Promise<string | null> {
  if (textProblem(ref) !== null) return null;
  const byCode = await app.services.holarchy.byCode(ref);
  if (byCode) return byCode.id;
  return (await app.services.holarchy.unitPath(ref)) === null ? null : ref;
}

/**
 * Submits the readings of one message as the principal its token names, reported for the machine's own
 * unit (or the topic's unit for people and trusted brokers). Throws only when the database fails, so the
 * caller leaves the message unacknowledged and the broker redelivers it.
 */
export async function submitMessage(
  ctx: SubmitContext,
  topicUnit: string,
  msg: ParsedMessage,
): Promise<void> {
  const { app, log } = ctx;
  const topicUnitId = await unitIdOf(app, topicUnit);
  const reject = async (message: string, reason: QuarantineReason = 'unauthenticated') => {
    const unitId = topicUnitId ?? (await app.services.holarchy.rootId());
    if (unitId === null) return;
    // The message may hold text the database cannot store (that may be why it is refused): keep a clean copy.
    await invoke(
      app,
      op('readings.reject'),
      {
        unitId,
        channel: ctx.channel,
        reason,
        message: storableText(message, 1900),
        raw: storableCopy(msg.readings),
      },
      { principal: SYSTEM, log },
    );
  };
  let principal: Principal;
  try {
    const tokenProblem = msg.token === null ? null : textProblem(msg.token);
    if (tokenProblem !== null) return await reject(`token ${tokenProblem}`, 'malformed');
    if (msg.token !== null) principal = await app.services.auth.principalFor(msg.token);
    else if (ctx.trustTopicUnit && topicUnitId !== null) principal = SYSTEM;
    else return await reject('no token: put a machine token in the payload ("token")');
  } catch (e) {
    if (isDomainError(e)) return reject(e.message);
    throw e;
  }
  const reporter = principal.kind === 'machine' ? principal.unitId : topicUnitId;
  if (reporter === null) return reject(`unit "${topicUnit}" does not exist`, 'unknown-indicator');
  const readings = msg.readings.map((r) => ({ ...r, unit: r.unit ?? topicUnit }));
  try {
    await invoke(
      app,
      op('readings.submit'),
      { unitId: reporter, readings, channel: ctx.channel },
      { principal, log },
    );
  } catch (e) {
    if (!isDomainError(e) || e.kind === 'unavailable') throw e;
    await reject(`${e.kind}: ${e.message}`, REASON_OF[e.kind] ?? 'malformed');
  }
}

/** Deliveries of one message before it is quarantined as undeliverable (NATS max_deliver, MQTT retries). */
export const MAX_DELIVERIES = 5;

/**
 * Moves a message that kept failing to the quarantine, with the reason, so that the broker can forget it: a
 * poisoned message must not be redelivered forever. Throws when even that fails (the database is down).
 */
export async function quarantineUndeliverable(
  ctx: SubmitContext,
  topicUnit: string,
  payload: string,
  attempts: number,
  error: unknown,
): Promise<void> {
  const { app, log } = ctx;
  const unitId = (await unitIdOf(app, topicUnit)) ?? (await app.services.holarchy.rootId());
  if (unitId === null) return;
  // The error's own text may quote the message; the kind and the first line are enough to act on.
  const why =
    error instanceof Error ? `${error.name}: ${error.message.split('\n')[0] ?? ''}` : 'unknown error';
  await invoke(
    app,
    op('readings.reject'),
    {
      unitId,
      channel: ctx.channel,
      reason: 'undeliverable',
      message: storableText(
        `not stored after ${attempts} attempts (${why}); fix the cause and send it again`,
        1900,
      ),
      raw: storableText(payload),
    },
    { principal: SYSTEM, log },
  );
}
