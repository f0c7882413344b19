// The holarchy navigator: breadcrumbs, search and the tree below the unit in focus; the same view at every level.
import { api, unwrap } from '../api/client';
import { useUnitHealth } from '../api/health';
import { useQuery } from '../api/use-query';
import { Breadcrumbs } from '../components/Breadcrumbs';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { UnitSearch } from '../components/UnitSearch';
import { UnitTree } from '../components/UnitTree';
import { Term } from '../components/Term';
import { Link } from '../app/router';

/** With no id, the navigator starts at the topmost units the reader may see. */
export function NavigatorPage({ unitId }: { unitId: string | undefined }) {
  const healthOf = useUnitHealth();
  const tops = useQuery(
    () =>
      unitId === undefined
        ? unwrap(api.POST('/api/holarchy/unit/tops', { body: {} })).then((r) => r.units)
        : unwrap(api.POST('/api/holarchy/unit/get', { body: { id: unitId } })).then((u) => [u]),
    [unitId],
  );
  return (
    <section>
      <h1>Holarchy</h1>
      <p className="muted">
        The <Term id="holarchy">holarchy</Term>: every unit is a whole and a part of the one above it. A badge
        is green only where you see every alert below the unit.
      </p>
      <UnitSearch />
      {unitId !== undefined && <Breadcrumbs unitId={unitId} base="/holarchy" />}
      {tops.status === 'loading' && <Loading what="the unit tree" />}
      {tops.status === 'error' && <ErrorNotice error={tops.error} onRetry={tops.reload} />}
      {tops.status === 'ok' && tops.data.length === 0 && (
        <p>There is no unit you may read. Sign in, or ask an admin for a role on a unit.</p>
      )}
      {tops.status === 'ok' &&
        tops.data.map((u) => (
          <div key={u.id} className="panel">
            <UnitTree root={u} healthOf={healthOf} />
            <p>
              <Link href={`/units/${u.id}`}>Open the unit page of {u.name}</Link>
            </p>
          </div>
        ))}
    </section>
  );
}
