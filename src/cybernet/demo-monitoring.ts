// Demo monitoring data: indicators with history on a few demo units, so the Opsroom has series, forecasts,
// aggregates, a triple index and at least one open alert to show.
import { readFileSync } from 'node:fs';
import type { Clock } from '../core/clock';
import { projectPath } from '../core/project-path';
import type { Services } from '../core/services';
import type { RawReading } from './reading';

const NAB_FIXTURE = projectPath('src', 'cybernet', 'fixtures', 'nab-machine-temperature-2600.csv');

/** Hourly car output of a shop: a daily rhythm, deterministic noise, and shop 2 nearly stopped for the last six hours. */
function carsPerHour(shop: number, hour: number, hours: number): number {
  const rhythm = 40 + 10 * Math.sin((2 * Math.PI * hour) / 24);
  const noise = ((Math.sin(hour * 12.9898 + shop * 78.233) * 43758.5453) % 1) * 2;
  if (shop === 1 && hour >= hours - 6) return 2;
  return Math.round(rhythm + noise + shop * 3);
}

export interface DemoMonitoringResult {
  indicators: number;
  readings: number;
  openAlerts: number;
}

/**
 * Adds the turbine hall temperature of D35 (the NAB machine-temperature series, re-timed to end now) and the
 * car output of the C29 shops (two days, hourly), with the triple index of C29 for this month.
 */
export async function seedDemoMonitoring(services: Services, clock: Clock): Promise<DemoMonitoringResult> {
  const { holarchy, cybernet, ingest } = services;
  const now = clock.now().getTime();
  let indicators = 0;
  let readings = 0;
  const send = async (unitId: string, batch: RawReading[]) => {
    const r = await ingest.ingest(batch, {
      reporterUnitId: unitId,
      channel: 'internal',
      actor: 'system:demo',
    });
    readings += r.accepted;
  };

  const turbine = await holarchy.byCode('D35-SHOP-1');
  if (turbine) {
    await cybernet.createIndicator({
      unitId: turbine.id,
      code: 'temp',
      name: 'Turbine hall machine temperature',
      measure: '°F',
      cadenceSeconds: 300,
      goodDirection: 'target',
      aggregation: 'mean',
      weight: 1,
      min: -40,
      max: 250,
      detector: 'harrison-stevens',
      detectorSettings: {},
    });
    indicators++;
    const rows = readFileSync(NAB_FIXTURE, 'utf8')
      .split('\n')
      .filter((l) => /^\d{4}-/.test(l));
    const batch = rows.map((line, i) => {
      const value = Number(line.split(',')[1]);
      return { indicator: 'temp', value, at: now - (rows.length - i) * 300_000, sourceId: `nab-${i}` };
    });
    await send(turbine.id, batch);
  }

  const c29 = await holarchy.byCode('C29');
  const hours = 48;
  for (let shop = 0; shop < 3; shop++) {
    const unit = await holarchy.byCode(`C29-SHOP-${shop + 1}`);
    if (!unit) continue;
    await cybernet.createIndicator({
      unitId: unit.id,
      code: 'output',
      name: 'Cars finished',
      measure: 'cars/h',
      cadenceSeconds: 3600,
      goodDirection: 'up',
      aggregation: 'sum',
      weight: 1,
      min: 0,
      max: 500,
      detector: 'spc',
      detectorSettings: { baseline: 24, sigmaEstimator: 'standard-deviation', rebaseline: false },
      productCode: 'C29',
    });
    indicators++;
    const batch = Array.from({ length: hours }, (_, h) => ({
      indicator: 'output',
      value: carsPerHour(shop, h, hours),
      at: now - (hours - h) * 3_600_000,
      sourceId: `c29-${shop}-${h}`,
    }));
    await send(unit.id, batch);
  }
  if (c29) {
    const month = new Date(now).toISOString().slice(0, 7);
    await cybernet.setTripleIndex(c29.id, month, { actuality: 2950, capability: 3400, potentiality: 4100 });
  }
  const openAlerts = (await services.alerts.list('everywhere', ['open'], 100)).length;
  return { indicators, readings, openAlerts };
}
