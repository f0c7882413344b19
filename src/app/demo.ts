// The demo federation: Germany's 2014 WIOD table as a holarchy of sectors, enterprises, co-ops and shops.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock';
import { projectPath } from '../core/project-path';
import type { Role } from '../core/principal';
import type { Services } from '../core/services';
import { seedDemoMonitoring } from '../cybernet/demo-monitoring';
import { seedDemoImprovements } from '../improvements/demo-improvements';
import { seedDemoLibrary } from '../library/demo-library';
import { seedDemoParticipation } from '../participation/demo-participation';
import { seedDemoPlanInForce } from './demo-plan-in-force';
import { seedDemoRounds } from '../planning/rounds/demo-rounds';
import type { UnitKind } from '../holarchy/holarchy';
import { inStoreTransaction } from '../store/transaction';
import { buildApp, type App } from './container';

export const DEMO_PASSWORD = 'ogas-demo-2014';
export const ADMIN_EMAIL = 'admin@ogas.local';

const WIOD_FILE = projectPath('src', 'economy', 'fixtures', 'wiod-niot-2016-DEU.xlsx');

/** WIOD industry codes grouped into the sectors of the demo, by their NACE section letters. */
const SECTORS: { code: string; name: string; letters: string }[] = [
  { code: 'S-PRIM', name: 'Agriculture and mining', letters: 'AB' },
  { code: 'S-MANU', name: 'Manufacturing', letters: 'C' },
  { code: 'S-UTIL', name: 'Energy, water and waste', letters: 'DE' },
  { code: 'S-CONS', name: 'Construction', letters: 'F' },
  { code: 'S-TRAD', name: 'Trade, transport and hospitality', letters: 'GHI' },
  { code: 'S-INFO', name: 'Information, finance and real estate', letters: 'JKL' },
  { code: 'S-BUSI', name: 'Business services', letters: 'MN' },
  { code: 'S-PUBL', name: 'Public and social services', letters: 'OPQRSTU' },
];

/** Shops under a few enterprises, so the tree has a fourth level to navigate to. */
const SHOPS: Record<string, string[]> = {
  C29: ['Body shop', 'Final assembly', 'Paint shop'],
  D35: ['Turbine hall', 'Grid control room'],
  A01: ['Dairy shop', 'Grain store'],
  C10_C12: ['Bakery line'],
};

export interface DemoResult {
  created: boolean;
  adminEmail: string;
  /** Only on the run that created the account. */
  adminPassword?: string;
  rootId: string;
  economyId?: string;
}

interface DemoPerson {
  email: string;
  name: string;
  role: Role;
  unitCode: string;
}

const DEMO_PEOPLE: DemoPerson[] = [
  { email: 'planner@ogas.local', name: 'Pat Planner', role: 'planner', unitCode: 'DEMO' },
  { email: 'manufacturing@ogas.local', name: 'Mika Manager', role: 'manager', unitCode: 'S-MANU' },
  { email: 'shop@ogas.local', name: 'Sam Shopfloor', role: 'manager', unitCode: 'C29-SHOP-1' },
  { email: 'member@ogas.local', name: 'Max Member', role: 'member', unitCode: 'A01' },
  { email: 'auditor@ogas.local', name: 'Alex Auditor', role: 'auditor', unitCode: 'DEMO' },
];

/** Loads the demo once: a second call finds the root and changes nothing. */
export async function ensureDemo(app: App, home: string): Promise<DemoResult> {
  const existing = await app.services.holarchy.root();
  if (existing) return { created: false, adminEmail: ADMIN_EMAIL, rootId: existing.id };
  const parsed = await app.services.economy.parse(readFileSync(WIOD_FILE), {
    format: 'wiod-xlsx',
    year: 2014,
  });
  // All or nothing: a crash half-way leaves an empty database, and the next start loads the demo again.
  // The services run over the transaction; the caller's app is untouched until it commits.
  return inStoreTransaction(app.store, async (store) => {
    const loading = buildApp(store, app.clock);
    const result = await loadDemo(loading.services, app.clock, parsed);
    // Last, inside the transaction: if the password cannot be saved, no account is kept that nobody can use.
    mkdirSync(home, { recursive: true });
    writeFileSync(adminPasswordFile(home), `${result.adminPassword}\n`, { mode: 0o600 });
    return result;
  });
}

/** The file that holds the admin password, one line, for `--password "$(cat …)"`. */
export function adminPasswordFile(home: string): string {
  return join(home, 'admin-password.txt');
}

async function loadDemo(
  services: Services,
  clock: Clock,
  parsed: Awaited<ReturnType<Services['economy']['parse']>>,
): Promise<DemoResult & { adminPassword: string }> {
  const { holarchy, auth, economy } = services;
  const root = await holarchy.create({
    parentId: null,
    name: 'Demo Federation (Germany 2014)',
    kind: 'economy',
    code: 'DEMO',
    public: true,
    attributes: { source: 'WIOD 2016 release, national IO table of Germany, 2014 (CC BY 4.0)' },
  });
  const model = parsed.model;

  const sectorIds = new Map<string, string>();
  for (const s of SECTORS) {
    const unit = await holarchy.create({
      parentId: root.id,
      name: s.name,
      kind: 'sector',
      code: s.code,
      public: true,
    });
    sectorIds.set(s.code, unit.id);
  }
  for (const [i, product] of model.products.entries()) {
    const sector =
      SECTORS.find((s) => s.letters.includes(product.code.charAt(0))) ?? SECTORS[SECTORS.length - 1];
    if (!sector) continue;
    const kind: UnitKind = i % 4 === 1 ? 'co-op' : 'enterprise';
    const unitCode = product.code.replace(/[^A-Za-z0-9]+/g, '_');
    const unit = await holarchy.create({
      parentId: sectorIds.get(sector.code) ?? root.id,
      name: product.name,
      kind,
      code: unitCode,
      public: kind === 'co-op',
      attributes: { wiodCode: product.code },
    });
    for (const [j, shop] of (SHOPS[unitCode] ?? []).entries()) {
      await holarchy.create({
        parentId: unit.id,
        name: shop,
        kind: 'shop',
        code: `${unitCode}-SHOP-${j + 1}`,
      });
    }
  }
  // Technologies are operated by the enterprise of the same industry.
  const operated = {
    ...model,
    technologies: model.technologies.map((t) => ({ ...t, unit: t.product.replace(/[^A-Za-z0-9]+/g, '_') })),
  };
  const saved = await economy.save(root.id, operated, parsed.report, 'Germany 2014 (WIOD)');

  const adminPassword = randomBytes(12).toString('base64url');
  const admin = await auth.register({
    email: ADMIN_EMAIL,
    name: 'Federation admin',
    password: adminPassword,
  });
  await auth.grant(admin.id, root.id, 'admin');
  for (const p of DEMO_PEOPLE) {
    const person = await auth.register({ email: p.email, name: p.name, password: DEMO_PASSWORD });
    const unit = await holarchy.byCode(p.unitCode);
    if (unit) await auth.grant(person.id, unit.id, p.role);
  }
  await seedDemoMonitoring(services, clock);
  const participation = await seedDemoParticipation(services, clock, DEMO_PASSWORD);
  await seedDemoPlanInForce(services, clock, participation.budgetPlanId);
  await seedDemoLibrary(services, clock);
  await seedDemoImprovements(services, clock, DEMO_PASSWORD, saved.economy.id);
  await seedDemoRounds(services, saved.economy.id);
  return {
    created: true,
    adminEmail: ADMIN_EMAIL,
    adminPassword,
    rootId: root.id,
    economyId: saved.economy.id,
  };
}
