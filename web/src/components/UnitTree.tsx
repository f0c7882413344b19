// The unit tree below one unit: expandable rows (buttons with aria-expanded) loaded level by level.
import { useState } from 'react';
import { useAlerts } from '../api/alerts';
import { api, unwrap, type OpOutput } from '../api/client';
import { useQuery } from '../api/use-query';
import { Link } from '../app/router';
import { ErrorNotice, Loading } from './ErrorNotice';
import { HealthBadge, type Health } from './HealthBadge';

export type Unit = OpOutput<'holarchy.unit.get'>;

/** Health of a unit by id; the navigator supplies it from the open alerts. */
export type HealthOf = (unit: Unit) => Health;

/** How many unresolved alerts sit at this unit now (raised here and not climbed, or climbed up to here). */
function AlertsHere({ unitId }: { unitId: string }) {
  const { alerts } = useAlerts();
  const here = (alerts ?? []).filter((a) => a.level.unitId === unitId);
  if (here.length === 0) return null;
  const climbed = here.filter((a) => a.unitId !== unitId).length;
  return (
    <span className="tag alerts-here" data-alerts-here={here.length}>
      {here.length} alert{here.length === 1 ? '' : 's'} here
      {climbed > 0 ? ` (${climbed} climbed from below)` : ''}
    </span>
  );
}

function Children({ parentId, healthOf, depth }: { parentId: string; healthOf: HealthOf; depth: number }) {
  const children = useQuery(
    () => unwrap(api.POST('/api/holarchy/unit/children', { body: { id: parentId } })),
    [parentId],
  );
  if (children.status === 'loading') return <Loading what="units" />;
  if (children.status === 'error') return <ErrorNotice error={children.error} onRetry={children.reload} />;
  if (children.data.units.length === 0) return <p className="muted tree-empty">No units below.</p>;
  return (
    <ul role="group" className="tree-group">
      {children.data.units.map((u) => (
        <TreeRow key={u.id} unit={u} healthOf={healthOf} depth={depth} />
      ))}
    </ul>
  );
}

function TreeRow({ unit, healthOf, depth }: { unit: Unit; healthOf: HealthOf; depth: number }) {
  const [open, setOpen] = useState(false);
  const leaf = unit.kind === 'shop' || unit.kind === 'cell';
  return (
    <li className="tree-item" data-unit-code={unit.code ?? undefined}>
      <div className="tree-row">
        {leaf ? (
          <span className="tree-toggle" aria-hidden="true">
            •
          </span>
        ) : (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={open}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${unit.name}`}
            onClick={() => setOpen(!open)}
          >
            {open ? '▾' : '▸'}
          </button>
        )}
        <Link href={`/units/${unit.id}`} className="tree-name">
          {unit.name}
        </Link>
        <span className="muted">{unit.code ?? ''}</span>
        <span className="kind">{unit.kind}</span>
        <HealthBadge health={healthOf(unit)} />
        <AlertsHere unitId={unit.id} />
        {!leaf && (
          <Link href={`/holarchy/${unit.id}`} className="zoom" aria-label={`Zoom in to ${unit.name}`}>
            Zoom in
          </Link>
        )}
      </div>
      {open && <Children parentId={unit.id} healthOf={healthOf} depth={depth + 1} />}
    </li>
  );
}

/** The tree rooted at `root`, its first level open. */
export function UnitTree({ root, healthOf }: { root: Unit; healthOf: HealthOf }) {
  return (
    <div className="tree" aria-label={`Units below ${root.name}`}>
      <div className="tree-row tree-root">
        <Link href={`/units/${root.id}`} className="tree-name">
          {root.name}
        </Link>
        <span className="muted">{root.code ?? ''}</span>
        <span className="kind">{root.kind}</span>
        <HealthBadge health={healthOf(root)} />
        <AlertsHere unitId={root.id} />
      </div>
      <Children parentId={root.id} healthOf={healthOf} depth={1} />
    </div>
  );
}
