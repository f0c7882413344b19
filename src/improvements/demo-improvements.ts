// The demo's improvements: the worked example of docs/guide/improvements.md. A worker of the motor-vehicles
// enterprise's final assembly proposes to cut the technology's use of plastics; it is acknowledged and adopted,
// and the body shop, which runs the same technology, adopts it too. A second proposal waits for acknowledgement.
import type { Clock } from '../core/clock';
import type { Services } from '../core/services';

const TECHNOLOGY = 'C29';
/** Rubber and plastic products: the input the proposal cuts. */
const INPUT = 'C22';
/** The proposal cuts the input per unit of vehicles by this fraction. */
const CUT = 0.2;

export const DEMO_WORKER = { email: 'worker@ogas.local', name: 'Wanda Worker' };

export async function seedDemoImprovements(
  services: Services,
  _clock: Clock,
  password: string,
  economyId: string,
): Promise<void> {
  const { holarchy, auth, economy, proposals } = services;
  const assembly = await holarchy.byCode('C29-SHOP-2');
  const body = await holarchy.byCode('C29-SHOP-1');
  const mika = await auth.findByEmail('manufacturing@ogas.local');
  const sam = await auth.findByEmail('shop@ogas.local');
  if (!assembly || !body || !mika || !sam) return;
  const model = await economy.model(economyId);
  const tech = model.technologies.find((t) => t.code === TECHNOLOGY);
  const input = tech?.inputs.find((c) => c.product === INPUT);
  if (!tech || !input) return;

  // Final assembly and the body shop share the enterprise's vehicle technology, 60:40.
  await economy.setTechnologyUsers(economyId, TECHNOLOGY, [
    { unitId: assembly.id, share: 0.6 },
    { unitId: body.id, share: 0.4 },
  ]);
  const worker = await auth.register({ ...DEMO_WORKER, password });
  await auth.grant(worker.id, assembly.id, 'member');
  const wanda = await auth.principalOf(worker.id);
  const manager = await auth.principalOf(mika.id);
  const shop = await auth.principalOf(sam.id);

  const p = await proposals.file(wanda, {
    unitId: assembly.id,
    economyId,
    technology: TECHNOLOGY,
    title: 'Clip-on trim instead of glued plastic panels',
    body: `Door and dashboard trims clip on: no glue, no offcuts. Cuts rubber and plastics (${INPUT}) per unit of vehicles by ${CUT * 100} %.`,
    changes: [{ kind: 'input', item: INPUT, perUnit: input.perUnit * (1 - CUT) }],
    attachments: [{ name: 'Trim clip drawing', ref: 'library:awaiting' }],
  });
  await proposals.acknowledge(manager, p.id, 'Received; trial on line 2 next week.');
  await proposals.comment(manager, p.id, 'Line 2 ran a week on clips: no rework, panels hold.');
  await proposals.decide(
    manager,
    p.id,
    'adopt',
    'The trial on line 2 confirmed the saving with no loss of quality.',
  );
  await proposals.spread(shop, p.id, body.id);

  await proposals.file(wanda, {
    unitId: assembly.id,
    economyId,
    technology: TECHNOLOGY,
    title: 'Shorter paint cure with infrared lamps',
    body: 'Infrared lamps halve the cure time: less labour per vehicle at the paint line.',
    changes: [
      {
        kind: 'labour',
        item: tech.labour[0]?.skill ?? 'employment',
        perUnit: (tech.labour[0]?.perUnit ?? 0) * 0.97,
      },
    ],
    attachments: [],
  });
}
