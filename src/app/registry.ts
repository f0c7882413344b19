// The operation registry: every operation of OGAS, the one list the API, CLI and OpenAPI are built from.
import type { AnyOperation } from '../core/operation';
import { economyOperations } from '../economy/economy.operations';
import { authOperations } from '../holarchy/auth.operations';
import { holarchyOperations } from '../holarchy/holarchy.operations';
import { systemOperations } from './system.operations';

export const OPERATIONS: readonly AnyOperation[] = [
  ...systemOperations,
  ...authOperations,
  ...holarchyOperations,
  ...economyOperations,
];

export function findOperation(name: string): AnyOperation | undefined {
  return OPERATIONS.find((op) => op.name === name);
}
