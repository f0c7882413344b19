// Turns one MQTT or NATS message into readings and the token that signs them, or says why it cannot.
import type { RawReading } from '../cybernet/reading';

export interface ParsedMessage {
  token: string | null;
  readings: RawReading[];
}

interface Fields {
  token?: unknown;
  indicator?: unknown;
  unit?: unknown;
  value?: unknown;
  at?: unknown;
  sourceId?: unknown;
  readings?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const time = (v: unknown): string | number | undefined =>
  typeof v === 'string' || typeof v === 'number' ? v : undefined;

function reading(f: Fields, defaults: { unit?: string; indicator?: string; sourceId?: string }): RawReading {
  const unit = text(f.unit) ?? defaults.unit;
  const at = time(f.at);
  const sourceId = text(f.sourceId) ?? defaults.sourceId;
  return {
    indicator: text(f.indicator) ?? defaults.indicator ?? '',
    value: f.value,
    ...(unit === undefined ? {} : { unit }),
    ...(at === undefined ? {} : { at }),
    ...(sourceId === undefined ? {} : { sourceId }),
  };
}

/**
 * A payload is a plain number ("61.5"), a JSON reading {"value","at","sourceId","token"}, or a JSON batch
 * {"token","readings":[...]}. Anything else becomes one reading whose value is the payload text, so the
 * pipeline quarantines it as non-numeric and the sender sees it in its quarantine list.
 */
export function parseReadingMessage(
  payload: string,
  defaults: { unit?: string; indicator?: string; sourceId?: string },
): ParsedMessage {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    // Not JSON: a plain value. A token inside broken JSON must not end up in the quarantine list.
    body = payload.replace(/og[ms]_[A-Za-z0-9_-]+/g, '(token removed)');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { token: null, readings: [reading({ value: body }, defaults)] };
  }
  const f = body as Fields;
  const token = text(f.token) ?? null;
  if (Array.isArray(f.readings)) {
    return {
      token,
      readings: f.readings.map((r) =>
        reading(typeof r === 'object' && r !== null ? (r as Fields) : { value: r }, defaults),
      ),
    };
  }
  return { token, readings: [reading(f, defaults)] };
}
