// The Opsroom shell: header (navigation, connection, who is signed in) and the page for the current path.
import { useAlerts } from '../api/alerts';
import { hasRole, useSession } from '../api/session';
import { Loading } from '../components/ErrorNotice';
import { AlertHistoryPage } from '../pages/alerts/AlertHistoryPage';
import { AlertPage } from '../pages/alerts/AlertPage';
import { AlertsPage } from '../pages/alerts/AlertsPage';
import { AuditPage } from '../pages/audit/AuditPage';
import { MyUnitsPage } from '../pages/my/MyUnitsPage';
import { AssemblyPage } from '../pages/assemblies/AssemblyPage';
import { ImprovementsPage } from '../pages/improvements/ImprovementsPage';
import { LibraryPage } from '../pages/library/LibraryPage';
import { RecordPage } from '../pages/library/RecordPage';
import { BudgetPage } from '../pages/budgets/BudgetPage';
import { BudgetsPage } from '../pages/budgets/BudgetsPage';
import { QuestionsPage } from '../pages/questions/QuestionsPage';
import { OpenVoteForm } from '../pages/votes/OpenVoteForm';
import { VotePage } from '../pages/votes/VotePage';
import { VotesPage } from '../pages/votes/VotesPage';
import { GlossaryPage } from '../pages/GlossaryPage';
import { NavigatorPage } from '../pages/NavigatorPage';
import { PlanPage } from '../pages/plan/PlanPage';
import { RoundsPage } from '../pages/rounds/RoundsPage';
import { SignInPage } from '../pages/SignInPage';
import { UnitPage } from '../pages/unit/UnitPage';
import { ConnectionStatus } from './connection';
import { Link, navigate, useLocation, type Location } from './router';

function Page({ loc }: { loc: Location }) {
  const parts = loc.path.split('/').filter(Boolean);
  const [head, id] = parts;
  if (head === 'signin') return <SignInPage next={loc.query.get('next') ?? '/my'} />;
  if (head === 'my') return <MyUnitsPage />;
  if (head === 'audit') return <AuditPage />;
  if (head === 'alerts' && id === 'history') return <AlertHistoryPage />;
  if (head === undefined || head === 'holarchy') return <NavigatorPage unitId={id} />;
  if (head === 'units' && id) return <UnitPage unitId={id} />;
  if (head === 'alerts' && id) return <AlertPage key={id} alertId={id} />;
  if (head === 'alerts') return <AlertsPage />;
  if (head === 'glossary') return <GlossaryPage />;
  if (head === 'votes' && id === 'new') return <OpenVoteForm unitId={loc.query.get('unit') ?? ''} />;
  if (head === 'votes' && id) return <VotePage voteId={id} />;
  if (head === 'votes') return <VotesPage />;
  if (head === 'assemblies' && id) return <AssemblyPage assemblyId={id} />;
  if (head === 'improvements') return <ImprovementsPage unitId={loc.query.get('unit') ?? undefined} />;
  if (head === 'library' && id)
    return (
      <RecordPage
        key={`${id}${loc.query.get('version') ?? ''}`}
        recordId={id}
        versionId={loc.query.get('version') ?? undefined}
      />
    );
  if (head === 'library') return <LibraryPage initialQuery={loc.query.get('q') ?? undefined} />;
  if (head === 'budgets' && id) return <BudgetPage budgetId={id} />;
  if (head === 'budgets') return <BudgetsPage />;
  if (head === 'questions') return <QuestionsPage unitId={loc.query.get('unit') ?? undefined} />;
  if (head === 'rounds')
    return (
      <RoundsPage roundsId={loc.query.get('rounds') ?? undefined} unit={loc.query.get('unit') ?? undefined} />
    );
  if (head === 'plan')
    return (
      <PlanPage
        planId={loc.query.get('plan') ?? undefined}
        economyId={loc.query.get('economy') ?? undefined}
      />
    );
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{loc.path}</code>. <Link href="/holarchy">Go to the holarchy</Link>.
      </p>
    </section>
  );
}

/** The inbox link says how many alerts are open, in words as well as in the number. */
function AlertsLink({ current }: { current: 'page' | undefined }) {
  const { alerts } = useAlerts();
  const open = alerts?.filter((a) => a.status === 'open').length ?? 0;
  return (
    <Link href="/alerts" aria-current={current}>
      Alerts{open > 0 ? ` (${open} open)` : ''}
    </Link>
  );
}

function Account() {
  const { who, signOut } = useSession();
  if (!who) return <span className="muted">…</span>;
  if (who.kind !== 'person' || !who.person)
    return (
      <span className="account">
        <span className="muted">Public view</span>{' '}
        <Link href={`/signin?next=${encodeURIComponent(window.location.pathname)}`}>Sign in</Link>
      </span>
    );
  const roles = [...new Set(who.grants.map((g) => g.role))].join(', ');
  return (
    <span className="account">
      <span>
        {who.person.name} <span className="muted">({roles || 'no roles'})</span>
      </span>{' '}
      <button
        type="button"
        onClick={() =>
          void signOut().then(
            () => navigate('/holarchy'),
            () => navigate('/holarchy'),
          )
        }
      >
        Sign out
      </button>
    </span>
  );
}

/** A location as one string: the path, then the query as URLSearchParams writes it. */
function locationKey(loc: Location): string {
  const query = loc.query.toString();
  return query ? `${loc.path}?${query}` : loc.path;
}

export function App() {
  const loc = useLocation();
  const { who } = useSession();
  const current = (prefix: string) => (loc.path.startsWith(prefix) ? 'page' : undefined);
  return (
    <>
      <a href="#main" className="skip">
        Skip to content
      </a>
      <header className="top">
        <Link href="/holarchy" className="brand">
          OGAS Opsroom
        </Link>
        <nav aria-label="Main">
          {who?.kind === 'person' && (
            <Link href="/my" aria-current={current('/my')}>
              My units
            </Link>
          )}
          <Link href="/holarchy" aria-current={current('/holarchy') ?? current('/units')}>
            Holarchy
          </Link>
          <Link href="/plan" aria-current={current('/plan')}>
            Plan
          </Link>
          <Link href="/rounds" aria-current={current('/rounds')}>
            Rounds
          </Link>
          <AlertsLink current={current('/alerts')} />
          <Link href="/votes" aria-current={current('/votes') ?? current('/assemblies')}>
            Votes
          </Link>
          <Link href="/budgets" aria-current={current('/budgets')}>
            Budgets
          </Link>
          <Link href="/questions" aria-current={current('/questions')}>
            Questions
          </Link>
          <Link href="/improvements" aria-current={current('/improvements')}>
            Improvements
          </Link>
          <Link href="/glossary" aria-current={current('/glossary')}>
            Glossary
          </Link>
          {hasRole(who, ['auditor', 'admin']) && (
            <Link href="/audit" aria-current={current('/audit')}>
              Audit
            </Link>
          )}
          <Link href="/library" aria-current={current('/library')}>
            Library
          </Link>
        </nav>
        <ConnectionStatus />
        <Account />
      </header>
      {/* data-location: the address this render shows, so a test that navigates in the page (as a link does)
          can wait for the new page rather than read the old one. */}
      <main id="main" tabIndex={-1} data-location={locationKey(loc)}>
        {who === undefined ? <Loading what="your session" /> : <Page loc={loc} />}
      </main>
    </>
  );
}
