// The composition root: builds every repository and service over one store.
import { AuditRepository } from '../audit/audit.repository';
import { systemClock, type Clock } from '../core/clock';
import type { Services } from '../core/services';
import { EconomyRepository } from '../economy/economy.repository';
import { EconomyService } from '../economy/economy.service';
import { importEconomy } from '../economy/import/import-economy';
import { AuthService } from '../holarchy/auth.service';
import { HolarchyRepository } from '../holarchy/holarchy.repository';
import { HolarchyService } from '../holarchy/holarchy.service';
import { PeopleRepository } from '../holarchy/people.repository';
import type { Store } from '../store/connect';

export interface App {
  store: Store;
  services: Services;
  clock: Clock;
  close(): Promise<void>;
}

export function buildApp(store: Store, clock: Clock = systemClock): App {
  const holarchy = new HolarchyService(new HolarchyRepository(store.db), clock);
  const auth = new AuthService(new PeopleRepository(store.db), clock);
  const economy = new EconomyService(new EconomyRepository(store.db), importEconomy);
  holarchy.registerUnitLookup('economy', (id) => economy.unitOf(id));
  holarchy.registerUnitLookup('machine-token', (id) => auth.machineTokenUnit(id));
  const services: Services = {
    access: holarchy,
    holarchy,
    auth,
    economy,
    audit: new AuditRepository(store.db),
    system: { storeKind: store.kind, schemaVersion: store.schemaVersion, startedAt: clock.now() },
  };
  return { store, services, clock, close: () => store.close() };
}
