// Health of each unit from the open alerts on it and below it (see healthFrom). Green only where the viewer
// sees every alert: a role on the unit or above it (alert.list shows the alerts under the viewer's roles).
import type { HealthOf } from '../components/UnitTree';
import { healthFrom, useAlerts } from './alerts';
import { useSession } from './session';

export function useUnitHealth(): HealthOf {
  const { alerts } = useAlerts();
  const { who } = useSession();
  const roots = who?.kind === 'person' ? who.grants.map((g) => g.unitPath) : [];
  return (unit) =>
    healthFrom(
      alerts,
      unit.path,
      roots.some((r) => unit.path.startsWith(r)),
    );
}
