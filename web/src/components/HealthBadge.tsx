// A unit's health: a colour AND a symbol AND words, so colour is never the only signal.
export type HealthLevel = 'ok' | 'watch' | 'alarm' | 'unknown';

const SYMBOL: Record<HealthLevel, string> = { ok: '✓', watch: '!', alarm: '‼', unknown: '?' };

export interface Health {
  level: HealthLevel;
  /** Short words shown beside the colour, e.g. "2 open alerts". */
  text: string;
}

export function HealthBadge({ health }: { health: Health }) {
  return (
    <span className={`health health-${health.level}`} data-health={health.level}>
      <span aria-hidden="true" className="health-dot">
        {SYMBOL[health.level]}
      </span>
      {health.text}
    </span>
  );
}
