// "My units": where a signed-in person lands. Each unit they hold a role on, with the path from the root to it
// (names only where the units between are not theirs to open), its alerts, and the ways to act that the role has.
import { useAlerts } from '../../api/alerts';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../api/session';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { Breadcrumbs } from '../../components/Breadcrumbs';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';

const ROLE_WORDS: Record<string, string> = {
  member: 'member',
  manager: 'manager',
  planner: 'planner',
  auditor: 'auditor',
  admin: 'administrator',
};

function MyUnit({ unitId, roles }: { unitId: string; roles: string[] }) {
  const { alerts } = useAlerts();
  const unit = useQuery(() => unwrap(api.POST('/api/holarchy/unit/get', { body: { id: unitId } })), [unitId]);
  const indicators = useQuery(
    () => unwrap(api.POST('/api/indicator/list', { body: { unitId, subtree: true } })),
    [unitId],
  );
  if (unit.status === 'loading') return <Loading what="your unit" />;
  if (unit.status === 'error') return <ErrorNotice error={unit.error} onRetry={unit.reload} />;
  const u = unit.data;
  const mine = (alerts ?? []).filter((a) => a.unitPath.startsWith(u.path));
  const open = mine.filter((a) => a.status === 'open').length;
  const count = indicators.status === 'ok' ? indicators.data.indicators.length : undefined;
  const has = (r: string) => roles.includes(r) || roles.includes('admin');
  return (
    <article className="panel my-unit" aria-labelledby={`my-${u.id}`} data-unit-code={u.code ?? undefined}>
      <Breadcrumbs unitId={u.id} base="/units" />
      <h2 id={`my-${u.id}`}>
        <Link href={`/units/${u.id}`}>{u.name}</Link>
      </h2>
      <p>
        You are {roles.map((r) => ROLE_WORDS[r] ?? r).join(' and ')} here.{' '}
        {count === undefined
          ? ''
          : count === 0
            ? 'No indicators are reported on this unit or below, so there is nothing to monitor yet.'
            : `${count} indicator${count === 1 ? '' : 's'} reported here and below; ${
                open === 0 ? 'no open alerts' : `${open} open alert${open === 1 ? '' : 's'}`
              }${mine.length > open ? `, ${mine.length - open} being handled` : ''}.`}
      </p>
      <ul className="actions-list">
        <li>
          <Link href={`/units/${u.id}`}>Reports and indicators of {u.name}</Link>
        </li>
        {(has('manager') || has('auditor') || has('planner')) && (
          <li>
            <Link href="/alerts">Alerts inbox</Link>
          </li>
        )}
        {has('planner') && (
          <li>
            <Link href="/plan">Plans</Link>
          </li>
        )}
        {has('auditor') && (
          <li>
            <Link href="/audit">Audit trail</Link>
          </li>
        )}
        <li>
          <Link href="/votes">Votes you can take part in</Link>
        </li>
        <li>
          <Link href={`/questions?unit=${u.id}`}>Questions on {u.name}</Link>
        </li>
        <li>
          <Link href={`/units/${u.id}#participation-h`}>Assemblies of {u.name}</Link>
        </li>
      </ul>
    </article>
  );
}

export function MyUnitsPage() {
  const { who } = useSession();
  if (who?.kind !== 'person')
    return (
      <section>
        <h1>My units</h1>
        <p>
          <Link href="/signin?next=/my">Sign in</Link> to see the units you take part in, or{' '}
          <Link href="/holarchy">browse the public units</Link>.
        </p>
      </section>
    );
  const byUnit = new Map<string, string[]>();
  for (const g of who.grants) byUnit.set(g.unitId, [...(byUnit.get(g.unitId) ?? []), g.role]);
  return (
    <section>
      <h1>My units</h1>
      {byUnit.size === 0 ? (
        <p>
          You hold no role on any unit yet; ask an admin for one. Meanwhile you can{' '}
          <Link href="/holarchy">browse the public units</Link>.
        </p>
      ) : (
        [...byUnit.entries()].map(([unitId, roles]) => <MyUnit key={unitId} unitId={unitId} roles={roles} />)
      )}
    </section>
  );
}
