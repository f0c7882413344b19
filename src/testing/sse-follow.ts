// Follows GET /api/events as a test subscriber: the events as they arrive, and a wait for one that passes a test.
export interface Stream {
  events: { event: string; data: unknown }[];
  stop: () => void;
  until: (test: (events: Stream['events']) => boolean) => Promise<void>;
}

export async function follow(address: string, token: string): Promise<Stream> {
  const controller = new AbortController();
  const r = await fetch(`${address}/api/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const events: Stream['events'] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  const reader = r.body?.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
          events.push({ event, data: JSON.parse(data) as unknown });
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted
    }
  })();
  const until = (test: (e: Stream['events']) => boolean) =>
    new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`timed out; got ${JSON.stringify(events)}`)), 5000);
      const check = () => {
        if (test(events)) {
          clearTimeout(timer);
          waiters.delete(check);
          done();
        }
      };
      waiters.add(check);
      check();
    });
  return { events, stop: () => controller.abort(), until };
}
