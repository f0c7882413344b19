// The in-process notice bus: Cyberstride publishes alert changes, the SSE stream and the NATS publisher listen.
import type { AlertNotice } from './alert';

export type NoticeListener = (notice: AlertNotice) => void;

export class NotificationBus {
  private readonly listeners = new Set<NoticeListener>();

  /** Returns the function that unsubscribes. */
  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(notice: AlertNotice): void {
    for (const l of this.listeners) {
      try {
        l(notice);
      } catch {
        // A broken subscriber (a closed socket) must not stop the others or the ingest that published.
      }
    }
  }
}
