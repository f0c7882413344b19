// Votes, assemblies and questions as the Opsroom reads them, with the ballot types said in words.
import type { OpOutput } from './client';

export type Vote = OpOutput<'vote.get'>;
export type VoteResult = OpOutput<'vote.results'>['result'];
export type Method = Vote['method'];
export type Assembly = OpOutput<'assembly.get'>;
export type Question = OpOutput<'question.get'>;
export type Decision = OpOutput<'decision.get'>;

const NAMES: Record<Method['type'], string> = {
  approval: 'Approval',
  score: 'Score',
  star: 'STAR (score, then automatic runoff)',
  irv: 'Ranked choice, one winner (instant runoff)',
  stv: 'Ranked choice, several winners (single transferable vote)',
  meek: 'Ranked choice, several winners (Meek)',
  schulze: 'Condorcet (Schulze)',
  consent: 'Consent',
  proposal: 'Proposal',
};

/** The ballot type and what the voter does, in one sentence. */
export function describeMethod(m: Method): string {
  switch (m.type) {
    case 'approval':
      return `${NAMES.approval}: tick every candidate you approve${m.max ? ` (at most ${m.max})` : ''}${m.min ? `, at least ${m.min}` : ''}; ${m.seats} winner${m.seats === 1 ? '' : 's'}.`;
    case 'score':
      return `${NAMES.score}: give each candidate 0 to ${m.maxScore}; highest total wins (${m.seats} seat${m.seats === 1 ? '' : 's'}).`;
    case 'star':
      return `${NAMES.star}: give each candidate 0 to ${m.maxScore}; the two highest totals meet in a runoff.`;
    case 'irv':
      return `${NAMES.irv}: rank the candidates in order of preference; the last is eliminated each round until one has a majority.`;
    case 'stv':
      return `${NAMES.stv}: rank the candidates; ${m.seats} seats, ${m.quota === 'droop' ? 'Droop' : 'Hare'} quota, surpluses transferred.`;
    case 'meek':
      return `${NAMES.meek}: rank the candidates; ${m.seats} seats, counted by Meek's method.`;
    case 'schulze':
      return `${NAMES.schulze}: rank the candidates; the one who beats every other head to head (by strongest paths) wins.`;
    case 'consent':
      return `${NAMES.consent}: the proposal passes unless someone blocks; a block needs a reason.`;
    case 'proposal':
      return `${NAMES.proposal}: agree, abstain, disagree or block.`;
  }
}

export function isRanked(m: Method): boolean {
  return m.type === 'irv' || m.type === 'stv' || m.type === 'meek' || m.type === 'schulze';
}

export function when(at: string | null | undefined): string {
  return at ? new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

export const STATUS_WORDS: Record<Vote['status'], string> = {
  scheduled: 'Scheduled',
  open: 'Open',
  closed: 'Closed',
};
