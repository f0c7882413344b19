// The port through which an adopted proposal becomes a public record of the library.
import type { ProposalView } from './proposal';

export interface ProposalPublisher {
  /**
   * Publishes the adopted proposal as a public record; answers the record's id, or null when publication
   * is still to be done (the request stays in `proposal_publications` with status "awaiting").
   */
  publish(proposal: ProposalView): Promise<string | null>;
}

/**
 * Until the library is wired in, adoption records the request (a `proposal_publications` row with status
 * "awaiting", written with the adoption) and this publisher answers that nothing is published yet.
 */
export const awaitingPublication: ProposalPublisher = {
  publish: () => Promise.resolve(null),
};
