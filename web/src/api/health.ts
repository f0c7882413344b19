// Health of each unit from the open alerts on it and below it (see healthFrom).
import type { HealthOf } from '../components/UnitTree';
import { healthFrom, useAlerts } from './alerts';

export function useUnitHealth(): HealthOf {
  const { alerts } = useAlerts();
  return (unit) => healthFrom(alerts, unit.path);
}
