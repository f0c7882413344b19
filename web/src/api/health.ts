// Health of each unit from its open alerts; until monitoring reports, every unit says so in words.
import type { Health } from '../components/HealthBadge';
import type { HealthOf } from '../components/UnitTree';

const NO_MONITORING: Health = { level: 'unknown', text: 'not monitored' };

export function useUnitHealth(): HealthOf {
  return () => NO_MONITORING;
}
