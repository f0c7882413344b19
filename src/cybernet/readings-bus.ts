// The in-process bus of stored readings: the ingest pipeline publishes which series grew, the SSE stream
// tells open charts, so a chart is live even when no alert opens or closes.

/** One series that received readings in one stored batch. */
export interface ReadingsNotice {
  indicatorId: string;
  /** The owning unit's path (the stream sends the notice only to those who may read it). */
  unitPath: string;
  /** How many readings were stored in this batch. */
  count: number;
  /** The latest reading's time in the batch. */
  latestAt: Date;
}

export type ReadingsListener = (notices: ReadingsNotice[]) => void;

export class ReadingsBus {
  private readonly listeners = new Set<ReadingsListener>();

  subscribe(listener: ReadingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(notices: ReadingsNotice[]): void {
    if (notices.length === 0) return;
    for (const l of this.listeners) {
      try {
        l(notices);
      } catch {
        // A closed socket must not stop the others or the ingest that published.
      }
    }
  }
}
