// The unit page: targets against actuals, indicators, triple index, technologies and the units below; every level alike.
import { api, unwrap } from '../../api/client';
import { useUnitHealth } from '../../api/health';
import { useQuery } from '../../api/use-query';
import { Link } from '../../app/router';
import { Breadcrumbs } from '../../components/Breadcrumbs';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';
import { HealthBadge } from '../../components/HealthBadge';
import { IndicatorsSection, TripleIndexSection } from './IndicatorsSection';
import { ParticipationSection } from './ParticipationSection';
import { RolledUpSection } from './RolledUpSection';
import { ShortfallSettingsSection } from './ShortfallSettingsSection';
import { TargetsSection } from './TargetsSection';
import { TechnologiesSection } from './TechnologiesSection';

export function UnitPage({ unitId }: { unitId: string }) {
  const healthOf = useUnitHealth();
  const loaded = useQuery(async () => {
    const unit = await unwrap(api.POST('/api/holarchy/unit/get', { body: { id: unitId } }));
    const { units } = await unwrap(api.POST('/api/holarchy/unit/subtree', { body: { id: unitId } }));
    return { unit, units };
  }, [unitId]);
  if (loaded.status === 'loading') return <Loading what="the unit" />;
  if (loaded.status === 'error')
    return (
      <section>
        <h1>Unit</h1>
        <ErrorNotice error={loaded.error} onRetry={loaded.reload} />
        <p>
          <Link href="/holarchy">Back to the holarchy</Link>
        </p>
      </section>
    );
  const { unit, units } = loaded.data;
  const below = units.filter((u) => u.parentId === unit.id);
  const codes = new Set(units.flatMap((u) => (u.code ? [u.code] : [])));
  return (
    <section>
      <Breadcrumbs unitId={unit.id} base="/units" />
      <header className="unit-head">
        <h1>{unit.name}</h1>
        <p>
          <span className="kind">{unit.kind}</span> {unit.code && <code>{unit.code}</code>}{' '}
          {unit.public ? <span className="tag">public</span> : <span className="tag">members only</span>}{' '}
          <HealthBadge health={healthOf(unit)} />
        </p>
        <p>
          <Link href={`/holarchy/${unit.id}`}>Navigate the holarchy from here</Link>
        </p>
      </header>
      <TargetsSection unitId={unit.id} />
      <ShortfallSettingsSection unitId={unit.id} />
      <IndicatorsSection unitId={unit.id} unitPath={unit.path} />
      {below.length > 0 && <RolledUpSection unitId={unit.id} />}
      <TripleIndexSection unitId={unit.id} />
      <TechnologiesSection unitPath={unit.path} codes={codes} />
      <ParticipationSection unitId={unit.id} />
      <section aria-labelledby="below-h" className="panel">
        <h2 id="below-h">Units below</h2>
        {below.length === 0 ? (
          <p>No units below this one.</p>
        ) : (
          <ul className="unit-list">
            {below.map((u) => (
              <li key={u.id}>
                <Link href={`/units/${u.id}`}>{u.name}</Link> <span className="kind">{u.kind}</span>{' '}
                <HealthBadge health={healthOf(u)} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
