// Breadcrumbs from the root down to a unit (holarchy.unit.path). A unit the reader may not open is named but not
// linked, so no crumb leads to a refusal; the path itself stays visible from the root down.
import { api, unwrap } from '../api/client';
import { useQuery } from '../api/use-query';
import { Link } from '../app/router';

export function Breadcrumbs({ unitId, base }: { unitId: string; base: '/holarchy' | '/units' }) {
  const path = useQuery(
    () => unwrap(api.POST('/api/holarchy/unit/path', { body: { id: unitId } })),
    [unitId],
  );
  if (path.status !== 'ok') return <nav aria-label="Breadcrumbs" className="breadcrumbs" />;
  const units = path.data.units;
  return (
    <nav aria-label="Breadcrumbs" className="breadcrumbs">
      <ol>
        {units.map((u, i) => (
          <li key={u.id}>
            {i === units.length - 1 ? (
              <span aria-current="page">{u.name}</span>
            ) : u.readable ? (
              <Link href={`${base}/${u.id}`}>{u.name}</Link>
            ) : (
              <span className="crumb-closed" title="Not open to you: only its name is shown">
                {u.name}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
