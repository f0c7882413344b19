// The operation registry: every operation of OGAS, the one list the API, CLI and OpenAPI are built from.
import type { AnyOperation } from '../core/operation';
import { cybernetOperations } from '../cybernet/cybernet.operations';
import { cyberstrideOperations } from '../cyberstride/cyberstride.operations';
import { nabOperations } from '../cyberstride/nab.operations';
import { planShortfallOperations } from '../cyberstride/plan-shortfall.operations';
import { analysisOperations } from '../economy/analysis.operations';
import { economyOperations } from '../economy/economy.operations';
import { authOperations } from '../holarchy/auth.operations';
import { holarchyOperations } from '../holarchy/holarchy.operations';
import { proposalOperations } from '../improvements/proposal.operations';
import { federationOperations } from '../federation/federation.operations';
import { fiveYearOperations } from '../planning/fiveyear.operations';
import { planOperations } from '../planning/plan.operations';
import { roundsOperations } from '../planning/rounds/rounds.operations';
import { countOperations } from '../participation/count.operations';
import { tabulateOperations } from '../participation/tabulate.operations';
import { assemblyOperations } from '../participation/assembly.operations';
import { participationOperations } from '../participation/participation.operations';
import { questionOperations } from '../participation/question.operations';
import { voteOperations } from '../participation/vote.operations';
import { libraryOperations } from '../library/library.operations';
import { budgetOperations } from '../participation/budget.operations';
import { systemOperations } from './system.operations';
import { abilitiesOperation } from './abilities.operations';
import { adoptionOperations } from '../planning/adoption.operations';

export const OPERATIONS: readonly AnyOperation[] = [
  ...systemOperations,
  ...authOperations,
  ...holarchyOperations,
  ...economyOperations,
  ...cybernetOperations,
  ...cyberstrideOperations,
  ...nabOperations,
  ...planShortfallOperations,
  ...analysisOperations,
  ...planOperations,
  ...adoptionOperations,
  ...roundsOperations,
  ...fiveYearOperations,
  ...tabulateOperations,
  ...countOperations,
  ...voteOperations,
  ...participationOperations,
  ...questionOperations,
  ...assemblyOperations,
  ...proposalOperations,
  ...budgetOperations,
  abilitiesOperation(() => OPERATIONS),
  ...libraryOperations,
  ...federationOperations,
];

export function findOperation(name: string): AnyOperation | undefined {
  return OPERATIONS.find((op) => op.name === name);
}
