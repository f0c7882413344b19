// Participatory budgets and priorities votes the reader may see, newest first.
import { api, unwrap } from '../../api/client';
import { poolWords } from '../../api/budgets';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';

const STATUS: Record<string, string> = { proposing: 'Taking proposals', voting: 'Voting', closed: 'Closed' };

export function BudgetsPage() {
  const { who } = useSession();
  const list = useQuery(() => unwrap(api.POST('/api/budget/list', { body: {} })), [who?.person?.id]);
  return (
    <section>
      <h1>Budgets</h1>
      <p className="muted">
        A planning office opens a budget on an economy: a pool of labour and projects that are bundles of
        final demand. Members vote; the chosen projects become targets of the plan, each target linked to its
        projects and the vote. A priorities vote weighs consumption groups in the plan’s harmony objective.
      </p>
      {list.status === 'loading' && <Loading what="budgets" />}
      {list.status === 'error' && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' &&
        (list.data.budgets.length === 0 ? (
          <p>No budget yet. A planner opens one with budget.open (API or CLI).</p>
        ) : (
          <ul className="vote-list">
            {list.data.budgets.map((b) => (
              <li key={b.id} className="vote-row">
                <Link href={`/budgets/${b.id}`}>{b.name}</Link>{' '}
                <span className={`status status-${b.status === 'closed' ? 'closed' : 'open'}`}>
                  {STATUS[b.status] ?? b.status}
                </span>{' '}
                <span className="tag">{b.kind === 'priorities' ? 'priorities vote' : 'budget'}</span>
                <br />
                <span className="muted">
                  {b.kind === 'priorities' ? `${b.settings.points ?? 0} points to give` : poolWords(b)}
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
