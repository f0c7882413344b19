// Breadcrumbs from the root down to a unit (holarchy.unit.path); units the reader may not see are plain text.
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
            ) : (
              <Link href={`${base}/${u.id}`}>{u.name}</Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
