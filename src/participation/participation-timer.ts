// What `ogas serve` runs for participation: a timer that opens and closes votes and climbs ignored questions and proposals.
import type { BaseLogger as Logger } from 'pino';
import type { App } from '../app/container';

/** Starts the pass every `everySeconds` (OGAS_PARTICIPATION_EVERY, default 15); returns the function that stops it. */
export function startParticipationTimer(app: App, log: Logger, everySeconds = 15): () => void {
  let running = false;
  // The timer calls the use cases directly, like the alert escalation: each change is in its own record
  // (the vote's result, the question's timeline), and empty passes do not fill the audit trail.
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    Promise.all([
      app.services.votes.tick(),
      app.services.questions.escalate(),
      app.services.proposals.escalate(),
    ])
      .then(([votes, questions, proposals]) => {
        if (votes.opened + votes.closed > 0) log.info(votes, 'votes opened or closed');
        for (const f of votes.failed) log.error(f, 'a vote could not be opened or closed');
        if (questions.steps > 0) log.info(questions, 'questions escalated');
        if (proposals.steps > 0) log.info(proposals, 'proposals escalated');
      })
      .catch((e: unknown) => log.error({ err: e }, 'participation pass failed'))
      .finally(() => (running = false));
  }, everySeconds * 1000);
  return () => clearInterval(timer);
}
