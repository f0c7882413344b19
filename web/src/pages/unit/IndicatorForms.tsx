// Reporting a reading and defining an indicator from the Opsroom, for those whose role on the unit allows it
// (the server checks again; these forms only spare others a button they may not use).
import { useState, type FormEvent } from 'react';
import { api, unwrap, type OpOutput } from '../../api/client';
import type { WhoAmI } from '../../api/session';
import { ErrorNotice } from '../../components/ErrorNotice';

type Indicator = OpOutput<'indicator.list'>['indicators'][number];

const ROLE_PERMISSIONS: Record<string, readonly string[]> = {
  member: ['read'],
  auditor: ['read', 'audit'],
  manager: ['read', 'report', 'manage', 'govern'],
  planner: ['read', 'plan', 'govern'],
  admin: ['read', 'report', 'manage', 'plan', 'govern', 'audit', 'admin'],
};

/** Whether a grant on this unit or above it gives the permission (as the server's central check decides). */
export function mayOn(who: WhoAmI | undefined, permission: string, unitPath: string): boolean {
  const above = new Set(unitPath.split('/').filter(Boolean));
  return (
    who?.grants.some((g) => above.has(g.unitId) && (ROLE_PERMISSIONS[g.role] ?? []).includes(permission)) ??
    false
  );
}

function useSubmit(run: () => Promise<string>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone('');
    try {
      setDone(await run());
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, submit };
}

export function ReportReadingForm({ unitId, indicators }: { unitId: string; indicators: Indicator[] }) {
  const [code, setCode] = useState(indicators[0]?.code ?? '');
  const [value, setValue] = useState('');
  const [at, setAt] = useState('');
  const chosen = indicators.find((i) => i.code === code);
  const { busy, error, done, submit } = useSubmit(async () => {
    const r = await unwrap(
      api.POST('/api/readings/submit', {
        body: {
          unitId,
          readings: [
            {
              indicator: code,
              value: Number(value),
              ...(at ? { at: new Date(at).toISOString() } : {}),
              sourceId: `opsroom-${Date.now()}`,
            },
          ],
        },
      }),
    );
    const q = r.quarantined[0];
    if (q) throw new Error(`The reading was quarantined: ${q.message}`);
    setValue('');
    return `Reported ${value} ${chosen?.measure ?? ''}.`;
  });
  return (
    <form className="inline-form" aria-label="Report a reading" onSubmit={(e) => void submit(e)}>
      <h3>Report a reading</h3>
      <label>
        Indicator
        <select value={code} onChange={(e) => setCode(e.target.value)}>
          {indicators.map((i) => (
            <option key={i.id} value={i.code}>
              {i.name} ({i.measure})
            </option>
          ))}
        </select>
      </label>
      <label>
        Value{chosen ? ` in ${chosen.measure}` : ''}
        <input
          type="number"
          step="any"
          required
          inputMode="decimal"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <label>
        Taken at (empty: now)
        <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
      </label>
      <button type="submit" disabled={busy || code === ''}>
        Report
      </button>
      {done && <p role="status">{done}</p>}
      {error && <ErrorNotice error={error} />}
    </form>
  );
}

export function DefineIndicatorForm({ unitId, onDefined }: { unitId: string; onDefined: () => void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [measure, setMeasure] = useState('');
  const [goodDirection, setGoodDirection] = useState<'up' | 'down' | 'target'>('up');
  const [aggregation, setAggregation] = useState<'sum' | 'mean' | 'weighted-mean'>('sum');
  const { busy, error, done, submit } = useSubmit(async () => {
    await unwrap(
      api.POST('/api/indicator/create', {
        body: { unitId, code, name, measure, goodDirection, aggregation, weight: 1 } as never,
      }),
    );
    onDefined();
    return `Defined ${name}.`;
  });
  return (
    <form className="inline-form" aria-label="Define an indicator" onSubmit={(e) => void submit(e)}>
      <h3>Define an indicator</h3>
      <label>
        Code
        <input
          required
          pattern="[A-Za-z0-9_.\-]{1,64}"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      <label>
        Name
        <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Measure
        <input
          required
          maxLength={40}
          placeholder="e.g. cars/h or °C"
          value={measure}
          onChange={(e) => setMeasure(e.target.value)}
        />
      </label>
      <label>
        Good direction
        <select
          value={goodDirection}
          onChange={(e) => setGoodDirection(e.target.value as typeof goodDirection)}
        >
          <option value="up">Higher is better</option>
          <option value="down">Lower is better</option>
          <option value="target">Close to a target</option>
        </select>
      </label>
      <label>
        Units above combine it as
        <select value={aggregation} onChange={(e) => setAggregation(e.target.value as typeof aggregation)}>
          <option value="sum">a sum (totals: cars, hours)</option>
          <option value="mean">a mean of the units (rates, levels)</option>
          <option value="weighted-mean">a weighted mean</option>
        </select>
      </label>
      <button type="submit" disabled={busy}>
        Define
      </button>
      {done && <p role="status">{done}</p>}
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
