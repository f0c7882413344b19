// Publishes every alert change on NATS as ogas.alerts.<owning unit id>, for the Opsroom and other nodes.
import { connect, type NatsConnection } from 'nats';
import type { NotificationBus } from '../cyberstride/notifications';

export const ALERTS_SUBJECT_PREFIX = 'ogas.alerts.';

export async function startNatsAlerts(
  url: string,
  bus: NotificationBus,
): Promise<{ connection: NatsConnection; close(): Promise<void> }> {
  const nc = await connect({ servers: url, name: 'ogas-alerts' });
  const unsubscribe = bus.subscribe((notice) => {
    nc.publish(`${ALERTS_SUBJECT_PREFIX}${notice.alert.unitId}`, JSON.stringify(notice));
  });
  return {
    connection: nc,
    close: async () => {
      unsubscribe();
      await nc.drain();
    },
  };
}
