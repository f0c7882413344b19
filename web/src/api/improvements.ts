// Rationalization proposals as the Opsroom reads them, with their states and events said in words.
import type { OpOutput } from './client';

export type Proposal = OpOutput<'improvement.get'>;
export type ProposalEvent = OpOutput<'improvement.timeline'>['events'][number];

export const PROPOSAL_STATUS_WORDS: Record<Proposal['status'], string> = {
  filed: 'Filed, waiting for acknowledgement',
  acknowledged: 'Acknowledged, under review',
  'on-trial': 'On trial',
  adopted: 'Adopted',
  'adopted-in-part': 'Adopted in part',
  rejected: 'Rejected',
  appealed: 'Appealed to the unit above',
};

export const EVENT_WORDS: Record<ProposalEvent['kind'], string> = {
  filed: 'filed',
  acknowledged: 'acknowledged',
  commented: 'commented',
  'trial-requested': 'asked for a trial',
  escalated: 'climbed to the unit above',
  adopted: 'adopted',
  'adopted-in-part': 'adopted in part',
  rejected: 'rejected',
  appealed: 'appealed',
  spread: 'adopted on another unit',
  'publication-requested': 'asked the library to publish',
};

/** Hours, rounded for reading; the exact figure is in the API. */
export function hours(h: number): string {
  return h.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}
