// A small economy of three units for the rounds tests: a farm, a bakery with its own bakers, a smithy; every
// technology with a capacity, two ways to make grain, so prices decide between them.
import type { EconomyModel } from '../../economy/economy';

export function roundsEconomy(): EconomyModel {
  return {
    name: 'Three co-ops',
    source: 'made up for the tests of planning rounds',
    products: [
      { code: 'grain', name: 'Grain', unit: 't', kind: 'means-of-production' },
      { code: 'bread', name: 'Bread', unit: 't', kind: 'consumer' },
      { code: 'tools', name: 'Tools', unit: 'piece', kind: 'means-of-production' },
    ],
    skills: [
      { code: 'farming', name: 'Farm work', available: 6_000 },
      { code: 'baking', name: 'Baking', available: 7_200 },
      { code: 'smithing', name: 'Smithing', available: null },
    ],
    resources: [],
    technologies: [
      {
        code: 'field',
        name: 'Field grain',
        product: 'grain',
        outputPerRun: 1,
        unit: 'farm',
        capacity: 2_000,
        inputs: [{ product: 'tools', perUnit: 0.02 }],
        labour: [{ skill: 'farming', perUnit: 8 }],
        resources: [],
      },
      {
        code: 'terrace',
        name: 'Terrace grain',
        product: 'grain',
        outputPerRun: 1,
        unit: 'farm',
        capacity: 1_500,
        inputs: [{ product: 'tools', perUnit: 0.05 }],
        labour: [
          { skill: 'farming', perUnit: 5 },
          { skill: 'smithing', perUnit: 1 },
        ],
        resources: [],
      },
      {
        code: 'oven',
        name: 'Oven',
        product: 'bread',
        outputPerRun: 1,
        unit: 'bakery',
        capacity: 1_000,
        inputs: [
          { product: 'grain', perUnit: 1.2 },
          { product: 'tools', perUnit: 0.01 },
        ],
        labour: [{ skill: 'baking', perUnit: 9 }],
        resources: [],
      },
      {
        code: 'forge',
        name: 'Forge',
        product: 'tools',
        outputPerRun: 1,
        unit: 'smithy',
        capacity: 500,
        inputs: [{ product: 'grain', perUnit: 0.1 }],
        labour: [{ skill: 'smithing', perUnit: 20 }],
        resources: [],
      },
    ],
    targets: [
      { product: 'bread', period: 1, quantity: 700 },
      { product: 'tools', period: 1, quantity: 40 },
      { product: 'grain', period: 1, quantity: 100 },
    ],
  };
}
