// The services an operation can reach. Each capability adds its own entry by declaration merging,
// so core names no capability and the composition root (src/app) fills them in.
import type { UnitResolver } from './access';

export interface Services {
  access: UnitResolver;
}
