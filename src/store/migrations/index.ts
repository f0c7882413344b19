// Every migration, in order of their names (Kysely runs them sorted). One list for PGlite and PostgreSQL.
import type { Migration } from 'kysely';
import * as foundation from './0001-foundation';
import * as economy from './0002-economy';
import * as cybernet from './0003-cybernet';
import * as planning from './0009-planning';
import * as participation from './0020-participation';
import * as assemblies from './0021-assemblies';
import * as questions from './0022-questions';
import * as signInGuard from './0050-sign-in-guard';
import * as alertLifecycle from './0080-alert-lifecycle';
import * as seriesRestarts from './0090-series-restarts';
import * as planAdoptions from './0100-plan-adoptions';
import * as skillUnits from './0101-skill-units';
import * as budgets from './0120-budgets';
import * as library from './0140-library';
import * as improvements from './0150-improvements';
import * as federation from './0170-federation';
import * as federationAlertStates from './0190-federation-alert-states';
import * as federationTargetTerms from './0200-federation-target-terms';
import * as federationRounds from './0201-federation-rounds';
import * as planningRounds from './0130-planning-rounds';
import * as planShortfalls from './0230-plan-shortfalls';
import * as federationAlertKind from './0250-federation-alert-kind';
import * as federationAlertFacts from './0260-federation-alert-facts';
import * as federationAlertForwardedRev from './0280-federation-alert-forwarded-rev';
import * as federationAlertStatusBy from './0290-federation-alert-status-by';
import * as detectionBacklog from './0300-detection-backlog';
import * as forecastsApart from './0301-forecasts-apart';
import * as readingsKeyCheck from './0310-readings-key-check';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-economy': economy,
  '0003-cybernet': cybernet,
  '0009-planning': planning,
  '0020-participation': participation,
  '0021-assemblies': assemblies,
  '0022-questions': questions,
  '0050-sign-in-guard': signInGuard,
  '0080-alert-lifecycle': alertLifecycle,
  '0090-series-restarts': seriesRestarts,
  '0100-plan-adoptions': planAdoptions,
  '0101-skill-units': skillUnits,
  '0120-budgets': budgets,
  '0130-planning-rounds': planningRounds,
  '0140-library': library,
  '0150-improvements': improvements,
  '0170-federation': federation,
  '0190-federation-alert-states': federationAlertStates,
  '0200-federation-target-terms': federationTargetTerms,
  '0201-federation-rounds': federationRounds,
  '0230-plan-shortfalls': planShortfalls,
  '0250-federation-alert-kind': federationAlertKind,
  '0260-federation-alert-facts': federationAlertFacts,
  '0280-federation-alert-forwarded-rev': federationAlertForwardedRev,
  '0290-federation-alert-status-by': federationAlertStatusBy,
  '0300-detection-backlog': detectionBacklog,
  '0301-forecasts-apart': forecastsApart,
  '0310-readings-key-check': readingsKeyCheck,
};
