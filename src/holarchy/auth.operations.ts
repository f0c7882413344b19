// Sign-in, people, roles on subtrees and machine tokens, as operations.
import { z } from 'zod';
import { DomainError } from '../core/errors';
import { defineOperation } from '../core/operation';
import { actorKey, ROLES } from '../core/principal';
import type { AuthService } from './auth.service';

declare module '../core/services' {
  interface Services {
    auth: AuthService;
  }
}

const person = z.object({ id: z.string(), email: z.string(), name: z.string() });
const grant = z.object({ unitId: z.string(), unitName: z.string(), role: z.enum(ROLES) });
const email = z.string().trim().toLowerCase().email().max(200);
const newPassword = z.string().min(8).max(1000).describe('at least 8 characters');

export const authOperations = [
  defineOperation({
    name: 'auth.login',
    summary: 'Sign in with email and password; returns a bearer token (also set as a cookie over HTTP).',
    kind: 'command',
    input: z.object({ email, password: z.string().min(1).max(1000) }),
    output: z.object({ token: z.string(), person, expiresAt: z.date() }),
    access: { kind: 'public' },
    guessable: { accountField: 'email' },
    handler: (ctx, i) => ctx.services.auth.login(i.email, i.password),
  }),
  defineOperation({
    name: 'auth.password.change',
    summary: 'Change your own password (the current one is needed); your other sessions end.',
    kind: 'command',
    input: z.object({ currentPassword: z.string().min(1).max(1000), newPassword }),
    output: z.object({ endedSessions: z.number().int() }),
    access: { kind: 'signed-in' },
    guessable: {},
    handler: async (ctx, i) => {
      if (ctx.principal.kind !== 'person') {
        throw new DomainError('forbidden', 'only a person has a password to change', {
          fix: 'the local operator sets a password with a reset code: auth.password.reset-code, then auth.password.reset',
        });
      }
      return ctx.services.auth.changePassword(
        ctx.principal.personId,
        ctx.token,
        i.currentPassword,
        i.newPassword,
      );
    },
  }),
  defineOperation({
    name: 'auth.password.reset-code',
    summary:
      "Issue a one-time code (valid 24 hours, shown only once) with which a person sets a new password; for admins over the person's unit.",
    kind: 'command',
    input: z.object({ email }),
    output: z.object({ personId: z.string(), email: z.string(), code: z.string(), expiresAt: z.date() }),
    // The person's unit is the deepest one above all of their roles (the root for someone with none).
    access: { kind: 'unit', permission: 'admin', unit: (i, r) => r.unitOf('person', i.email) },
    cli: { positional: ['email'] },
    handler: (ctx, i) => ctx.services.auth.issueResetCode(i.email, actorKey(ctx.principal)),
  }),
  defineOperation({
    name: 'auth.password.reset',
    summary:
      'Set a new password with a reset code from an admin; the code is used up and every session ends.',
    kind: 'command',
    input: z.object({ email, code: z.string().trim().min(1).max(200), newPassword }),
    output: z.object({ ok: z.literal(true) }),
    access: { kind: 'public' },
    guessable: { accountField: 'email' },
    handler: async (ctx, i) => {
      await ctx.services.auth.resetPassword(i.email, i.code, i.newPassword);
      return { ok: true as const };
    },
  }),
  defineOperation({
    name: 'auth.logout',
    summary: 'End the current session.',
    kind: 'command',
    input: z.object({}),
    output: z.object({ ok: z.literal(true) }),
    access: { kind: 'signed-in' },
    handler: async (ctx) => {
      if (ctx.token) await ctx.services.auth.logout(ctx.token);
      return { ok: true as const };
    },
  }),
  defineOperation({
    name: 'auth.whoami',
    summary: 'Who the caller is, and its roles.',
    kind: 'query',
    input: z.object({}),
    output: z.object({
      kind: z.enum(['anonymous', 'person', 'machine', 'system']),
      person: person.optional(),
      unitId: z.string().optional(),
      grants: z.array(
        grant.extend({
          unitPath: z
            .string()
            .describe("the unit's place in the holarchy; the role holds for everything below it"),
        }),
      ),
    }),
    access: { kind: 'public' },
    handler: async (ctx) => {
      const p = ctx.principal;
      if (p.kind === 'person') {
        const grants = await ctx.services.auth.grantsOf(p.personId);
        return {
          kind: p.kind,
          person: { id: p.personId, email: p.email, name: p.name },
          grants: grants.map((g) => ({
            unitId: g.unitId,
            unitName: g.unitName,
            unitPath: g.unitPath,
            role: g.role,
          })),
        };
      }
      if (p.kind === 'machine') return { kind: p.kind, unitId: p.unitId, grants: [] };
      return { kind: p.kind, grants: [] };
    },
  }),
  defineOperation({
    name: 'auth.person.register',
    summary: 'Create an account for a person (federation admins only).',
    kind: 'command',
    input: z.object({
      email,
      name: z.string().trim().min(1).max(200),
      password: z.string().min(8).max(1000),
    }),
    output: person,
    access: { kind: 'unit', permission: 'admin', unit: () => null },
    handler: (ctx, i) => ctx.services.auth.register(i),
  }),
  defineOperation({
    name: 'auth.grant.add',
    summary: 'Grant a role on a unit; it holds for the whole subtree.',
    kind: 'command',
    input: z.object({ personId: z.string().min(1), unitId: z.string().min(1), role: z.enum(ROLES) }),
    output: z.object({ created: z.boolean() }),
    access: { kind: 'unit', permission: 'admin', unit: (i) => i.unitId },
    handler: async (ctx, i) => ({ created: await ctx.services.auth.grant(i.personId, i.unitId, i.role) }),
  }),
  defineOperation({
    name: 'auth.grant.remove',
    summary: 'Take a role back (never the last admin role on the root unit).',
    kind: 'command',
    input: z.object({ personId: z.string().min(1), unitId: z.string().min(1), role: z.enum(ROLES) }),
    output: z.object({ removed: z.boolean() }),
    access: { kind: 'unit', permission: 'admin', unit: (i) => i.unitId },
    handler: async (ctx, i) => ({ removed: await ctx.services.auth.revoke(i.personId, i.unitId, i.role) }),
  }),
  defineOperation({
    name: 'auth.grant.list',
    summary: 'Every role granted on a unit and below it.',
    kind: 'query',
    input: z.object({ unitId: z.string().min(1) }),
    output: z.object({ grants: z.array(grant.extend({ personId: z.string(), email: z.string() })) }),
    access: { kind: 'unit', permission: 'admin', unit: (i) => i.unitId },
    cli: { positional: ['unitId'] },
    handler: async (ctx, i) => {
      const unit = await ctx.services.holarchy.get(i.unitId);
      const rows = await ctx.services.auth.grantsOnSubtree(unit.path);
      return {
        grants: rows.map((r) => ({
          personId: r.personId,
          email: r.email,
          unitId: r.unitId,
          unitName: r.unitName,
          role: r.role,
        })),
      };
    },
  }),
  defineOperation({
    name: 'auth.machine-token.issue',
    summary: 'Issue a token for machines reporting on one unit; the secret is shown only once.',
    kind: 'command',
    input: z.object({ unitId: z.string().min(1), name: z.string().trim().min(1).max(200) }),
    output: z.object({ id: z.string(), token: z.string() }),
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.unitId },
    handler: (ctx, i) => ctx.services.auth.issueMachineToken(i.unitId, i.name),
  }),
  defineOperation({
    name: 'auth.machine-token.list',
    summary: "A unit's machine tokens (never their secrets).",
    kind: 'query',
    input: z.object({ unitId: z.string().min(1) }),
    output: z.object({
      tokens: z.array(
        z.object({ id: z.string(), name: z.string(), createdAt: z.date(), revoked: z.boolean() }),
      ),
    }),
    access: { kind: 'unit', permission: 'manage', unit: (i) => i.unitId },
    cli: { positional: ['unitId'] },
    handler: async (ctx, i) => ({ tokens: await ctx.services.auth.machineTokensOn(i.unitId) }),
  }),
  defineOperation({
    name: 'auth.machine-token.revoke',
    summary: 'Revoke a machine token at once.',
    kind: 'command',
    input: z.object({ id: z.string().min(1) }),
    output: z.object({ revoked: z.boolean() }),
    access: { kind: 'unit', permission: 'manage', unit: (i, r) => r.unitOf('machine-token', i.id) },
    cli: { positional: ['id'] },
    handler: async (ctx, i) => ({ revoked: await ctx.services.auth.revokeMachineToken(i.id) }),
  }),
];
