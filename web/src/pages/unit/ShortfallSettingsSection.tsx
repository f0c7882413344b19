// How far below its plan a unit's actuals may fall before a plan-shortfall alert opens: the unit's own setting
// (for all its indicators and the units below) and its indicators' own, and, for the unit's managers, the form
// that sets them (alert.shortfall-settings.set; the server checks manage again and names a field it refuses).
import { useState, type FormEvent } from 'react';
import { useAbilities } from '../../api/abilities';
import { api, unwrap } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { ErrorNotice, Loading } from '../../components/ErrorNotice';

const pct = (x: number) => `${(x * 100).toLocaleString('en-GB', { maximumFractionDigits: 2 })} %`;
const windowWords = (n: number) => (n === 1 ? 'the newest reading' : `the mean of the newest ${n} readings`);

export function ShortfallSettingsSection({ unitId }: { unitId: string }) {
  const settings = useQuery(
    () => unwrap(api.POST('/api/alert/shortfall-settings', { body: { unitId } })),
    [unitId],
  );
  const indicators = useQuery(() => unwrap(api.POST('/api/indicator/list', { body: { unitId } })), [unitId]);
  const abilities = useAbilities([unitId]);
  const mayEdit = abilities.may(unitId, 'alert.shortfall-settings.set');
  const [target, setTarget] = useState('');
  const [tolerance, setTolerance] = useState('5');
  const [window, setWindow] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState('');
  const names = new Map(
    (indicators.status === 'ok' ? indicators.data.indicators : []).map((i) => [i.id, i.name]),
  );
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const row = await unwrap(
        api.POST('/api/alert/shortfall-settings/set', {
          body: {
            unitId,
            ...(target ? { indicatorId: target } : {}),
            // The form speaks in per cent; the API in fractions.
            tolerance: Number(tolerance) / 100,
            window: Number(window),
          },
        }),
      );
      setDone(
        `Saved: ${pct(row.tolerance)} below plan tolerated for ${
          row.indicatorId ? (names.get(row.indicatorId) ?? 'the indicator') : 'all indicators here and below'
        }, judged on ${windowWords(row.window)}. Alerts are judged again at the next sweep.`,
      );
      settings.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="shortfall-settings-h" className="panel shortfall-settings">
      <h2 id="shortfall-settings-h">Plan-shortfall tolerance</h2>
      {settings.status === 'loading' && <Loading what="the tolerances" />}
      {settings.status === 'error' && <ErrorNotice error={settings.error} onRetry={settings.reload} />}
      {settings.status === 'ok' && (
        <>
          <p className="muted">
            A plan-shortfall alert opens when an actual falls further below the plan than tolerated. Where
            this unit sets nothing, the nearest unit above decides, else the default:{' '}
            {pct(settings.data.default.tolerance)}, on {windowWords(settings.data.default.window)}.
          </p>
          {settings.data.settings.length === 0 ? (
            <p data-testid="shortfall-settings-none">No tolerance is set on this unit.</p>
          ) : (
            <ul data-testid="shortfall-settings-list">
              {settings.data.settings.map((s) => (
                <li key={s.indicatorId ?? ''}>
                  {s.indicatorId
                    ? (names.get(s.indicatorId) ?? 'An indicator of this unit')
                    : 'All indicators here and below'}
                  : {pct(s.tolerance)} below plan tolerated, on {windowWords(s.window)} (set{' '}
                  {new Date(s.setAt).toLocaleString('en-GB')}).
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {mayEdit ? (
        <form onSubmit={(e) => void save(e)} className="inline-form" aria-label="Set the tolerance">
          <label>
            Applies to
            <select value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">All indicators of this unit and the units below</option>
              {(indicators.status === 'ok' ? indicators.data.indicators : []).map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Tolerated below plan (%)
            <input
              type="number"
              inputMode="decimal"
              min={0}
              max={99.99}
              step="any"
              required
              value={tolerance}
              onChange={(e) => setTolerance(e.target.value)}
            />
          </label>
          <label>
            Readings averaged
            <input
              type="number"
              min={1}
              max={366}
              step={1}
              required
              value={window}
              onChange={(e) => setWindow(e.target.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            Save tolerance
          </button>
          {done && (
            <p role="status" className="done">
              {done}
            </p>
          )}
          {error && <ErrorNotice error={error} />}
        </form>
      ) : (
        abilities.loaded && <p className="muted">The managers of this unit set its tolerance.</p>
      )}
    </section>
  );
}
