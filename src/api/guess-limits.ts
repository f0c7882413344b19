// Limits on guessing secrets over HTTP (@fastify/rate-limit): sign-in and its kin, per client address and per account.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors';
import type { AnyOperation } from '../core/operation';

export interface Limit {
  max: number;
  windowMs: number;
}

export interface GuessLimits {
  /** Attempts from one client address (IPv6 by /64) on all guessable operations together. */
  perAddress: Limit;
  /** Attempts naming one account, from anywhere. */
  perAccount: Limit;
}

export const GUESS_LIMITS: GuessLimits = {
  perAddress: { max: 30, windowMs: 60_000 },
  perAccount: { max: 10, windowMs: 60_000 },
};

type Check = (
  req: FastifyRequest,
) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;

function accountOf(req: FastifyRequest, field: string): string | undefined {
  const body = req.body as Record<string, unknown> | null | undefined;
  const value = typeof body === 'object' && body !== null ? body[field] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined;
}

async function refuseWhenExceeded(
  checks: { check: Check; what: string }[],
  req: FastifyRequest,
): Promise<void> {
  for (const { check, what } of checks) {
    const r = await check(req);
    if (r.isAllowed || !r.isExceeded) continue;
    const retryAfterSeconds = Math.max(1, r.ttlInSeconds ?? 1);
    throw new DomainError('rate-limited', `too many attempts ${what}; try again in ${retryAfterSeconds} s`, {
      fix: 'wait for the time in the Retry-After header',
      data: { retryAfterSeconds },
    });
  }
}

/**
 * Registers the rate limiter and returns, for each operation, the preHandler that guards it (none for an
 * operation that checks no guessable secret). Counters live in memory: the stored lockout per account
 * (holarchy/sign-in-guard.ts) is what survives a restart.
 */
export async function registerGuessLimits(
  server: FastifyInstance,
  limits: GuessLimits = GUESS_LIMITS,
): Promise<(op: AnyOperation) => ((req: FastifyRequest) => Promise<void>) | undefined> {
  await server.register(rateLimit, { global: false });
  const perAddress: Check = server.createRateLimit({
    max: limits.perAddress.max,
    timeWindow: limits.perAddress.windowMs,
  });
  const perAccount = new Map<string, Check>();
  return (op) => {
    if (!op.guessable) return undefined;
    const field = op.guessable.accountField;
    const checks = [{ check: perAddress, what: 'from your address' }];
    if (field !== undefined) {
      let check = perAccount.get(field);
      if (!check) {
        const limiter: Check = server.createRateLimit({
          max: limits.perAccount.max,
          timeWindow: limits.perAccount.windowMs,
          keyGenerator: (req) => `${field}:${accountOf(req, field) ?? ''}`,
        });
        // A body that names no account is refused by validation; it must not fill a shared counter.
        check = (req) =>
          accountOf(req, field) === undefined ? Promise.resolve({ isAllowed: true }) : limiter(req);
        perAccount.set(field, check);
      }
      checks.push({ check, what: 'for this account' });
    }
    return (req) => refuseWhenExceeded(checks, req);
  };
}
