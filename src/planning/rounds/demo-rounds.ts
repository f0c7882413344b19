// The demo's planning rounds: one series run to convergence with every unit answering automatically (its gap
// falls round by round in the Opsroom), and one left open in which the motor-vehicle works (C29) answers by hand,
// for its manager to try the proposal form (round 1 publishes the opening prices).
import type { Services } from '../../core/services';

export const DEMO_ROUNDS_BY_HAND = 'C29';

export async function seedDemoRounds(services: Services, economyId: string): Promise<void> {
  const { rounds } = services;
  const automatic = await rounds.open(
    {
      economyId,
      name: 'Rounds with automatic responders',
      tolerance: 1e-6,
      maxRounds: 50,
      deadlineMinutes: 60 * 24,
    },
    'system',
  );
  await rounds.run(automatic.id, 'system', 50);
  await rounds.open(
    {
      economyId,
      name: 'Rounds with the motor-vehicle works answering by hand',
      tolerance: 1e-6,
      maxRounds: 50,
      deadlineMinutes: 60 * 24 * 7,
      automatic: automatic.units.filter((u) => u !== DEMO_ROUNDS_BY_HAND),
    },
    'system',
  );
}
