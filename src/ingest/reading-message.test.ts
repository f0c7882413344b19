// MQTT topics and message payloads become readings; what cannot be read stays visible for quarantine.
import { describe, expect, it } from 'vitest';
import { parseTopic } from './mqtt-ingest';
import { parseReadingMessage } from './reading-message';

describe('MQTT topics', () => {
  it('reads ogas/<unit>/<indicator> and an optional source id', () => {
    expect(parseTopic('ogas/D35-SHOP-1/temp')).toEqual({ unit: 'D35-SHOP-1', indicator: 'temp' });
    expect(parseTopic('ogas/D35-SHOP-1/temp/000123')).toEqual({
      unit: 'D35-SHOP-1',
      indicator: 'temp',
      sourceId: '000123',
    });
  });

  it('ignores topics of other shapes', () => {
    expect(parseTopic('other/D35/temp')).toBeNull();
    expect(parseTopic('ogas/D35')).toBeNull();
    expect(parseTopic('ogas/D35/temp/1/extra')).toBeNull();
  });
});

describe('reading messages', () => {
  const where = { unit: 'D35-SHOP-1', indicator: 'temp', sourceId: '7' };

  it('takes a plain number with the topic defaults and no token', () => {
    expect(parseReadingMessage('61.5', where)).toEqual({
      token: null,
      readings: [{ unit: 'D35-SHOP-1', indicator: 'temp', value: 61.5, sourceId: '7' }],
    });
  });

  it('takes a JSON reading with its token, time and source id', () => {
    const m = parseReadingMessage('{"token":"ogm_x","value":"62","at":1700000000000,"sourceId":"s"}', where);
    expect(m).toEqual({
      token: 'ogm_x',
      readings: [{ unit: 'D35-SHOP-1', indicator: 'temp', value: '62', at: 1700000000000, sourceId: 's' }],
    });
  });

  it('takes a JSON batch whose readings may name other indicators', () => {
    const m = parseReadingMessage('{"token":"ogm_x","readings":[{"indicator":"rpm","value":3000}]}', {
      unit: 'D35-SHOP-1',
    });
    expect(m.readings).toEqual([{ unit: 'D35-SHOP-1', indicator: 'rpm', value: 3000 }]);
  });

  it('keeps broken JSON as a text value (quarantined later) and removes any token from it', () => {
    const m = parseReadingMessage('{"token":"ogm_secret-123","value":', where);
    expect(m.token).toBeNull();
    expect(m.readings[0]?.value).toBe('{"token":"(token removed)","value":');
  });
});
