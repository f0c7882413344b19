// The demo's library: a few records on the demo's units at every access level, one with two versions and
// a file, one restricted until a declassification date a week after the demo was loaded.
import { Readable } from 'node:stream';
import type { Clock } from '../core/clock';
import { SYSTEM } from '../core/principal';
import type { Services } from '../core/services';

const DAY = 86_400_000;

export async function seedDemoLibrary(services: Services, clock: Clock): Promise<void> {
  const { holarchy, auth, library } = services;
  const unit = async (code: string) => {
    const u = await holarchy.byCode(code);
    if (!u) throw new Error(`the demo has no unit ${code}`);
    return u;
  };
  const motor = await unit('C29');
  const paint = await unit('C29-SHOP-3');
  const power = await unit('D35');
  const construction = await unit('S-CONS');
  const shopManager = await auth.findByEmail('shop@ogas.local');

  const checklist = await library.upload(
    SYSTEM,
    Readable.from([
      Buffer.from(
        'Final assembly checklist\n1. Torque the wheel nuts to 120 Nm in a star pattern.\n' +
          '2. Check the brake fluid level.\n3. Record the chassis number on the line sheet.\n',
      ),
    ]),
  );
  const standard = await library.publish(SYSTEM, {
    unitId: motor.id,
    type: 'standard',
    title: 'Final assembly standard work for passenger cars',
    authors: ['Motor vehicles enterprise, methods office'],
    abstract: 'The sequence, takt and checks of final assembly, station by station.',
    keywords: ['assembly', 'takt', 'torque'],
    products: ['C29'],
    technologies: ['C29'],
    licence: 'CC-BY-4.0',
    text: 'Each station works to a takt of 90 seconds. Wheel nuts are torqued in a star pattern.',
    files: [],
    access: { level: 'public' },
  });
  await library.revise(
    SYSTEM,
    standard.recordId,
    {
      title: 'Final assembly standard work for passenger cars',
      authors: ['Motor vehicles enterprise, methods office'],
      abstract:
        'The sequence, takt and checks of final assembly, station by station, with the line checklist.',
      keywords: ['assembly', 'takt', 'torque', 'checklist'],
      products: ['C29'],
      technologies: ['C29'],
      licence: 'CC-BY-4.0',
      text: 'Each station works to a takt of 84 seconds since the conveyor trial. Wheel nuts are torqued in a star pattern.',
      files: [{ sha256: checklist.sha256, name: 'assembly-checklist.txt', mediaType: 'text/plain' }],
    },
    'takt shortened to 84 s after the conveyor trial; checklist attached',
  );
  await library.publish(SYSTEM, {
    unitId: paint.id,
    type: 'procedure',
    title: 'Solvent recovery in the paint shop',
    authors: [],
    abstract: 'Distilling used thinner back to a usable grade, and the safety rules for the still.',
    keywords: ['solvent', 'paint', 'recovery'],
    products: ['C29', 'C20'],
    technologies: [],
    licence: 'CC-BY-4.0',
    text: 'The still runs below 80 degrees. Recovered thinner is tested for water before reuse.',
    files: [],
    access: { level: 'subtree', unitId: motor.id },
  });
  await library.defineCredential({
    unitId: construction.id,
    name: 'crane operator',
    description: 'May operate overhead cranes up to 20 t',
  });
  if (shopManager)
    await library.grantCredential(SYSTEM, { credential: 'crane operator', personId: shopManager.id });
  await library.publish(SYSTEM, {
    unitId: motor.id,
    type: 'drawing',
    title: 'Load tables for the body shop crane',
    authors: [],
    abstract: 'Safe working loads of the 20 t overhead crane by hook position.',
    keywords: ['crane', 'load table'],
    products: ['C29'],
    technologies: [],
    licence: 'CC-BY-4.0',
    text: 'At full span the safe working load is 12 t; within 5 m of the rail it is 20 t.',
    files: [],
    access: { level: 'credential', credential: 'crane operator' },
  });
  await library.publish(SYSTEM, {
    unitId: power.id,
    type: 'report',
    title: 'Grid contract negotiation notes',
    authors: [],
    abstract: 'Positions for the tariff negotiation with the grid operator.',
    keywords: ['tariff', 'grid'],
    products: ['D35'],
    technologies: [],
    licence: 'CC-BY-4.0',
    text: '',
    files: [],
    access: { level: 'named', people: [], roles: ['planner'] },
  });
  await library.publish(SYSTEM, {
    unitId: power.id,
    type: 'report',
    title: 'Turbine hall incident report',
    authors: [],
    abstract: 'The bearing failure of turbine 2 and what was changed afterwards.',
    keywords: ['turbine', 'bearing', 'incident'],
    products: ['D35'],
    technologies: [],
    licence: 'CC-BY-4.0',
    text: 'The bearing overheated after the lubrication interval was stretched to six weeks.',
    files: [],
    access: { level: 'subtree', unitId: power.id },
    declassifyAt: new Date(clock.now().getTime() + 7 * DAY).toISOString(),
  });
}
