// A run's progress: a bar with the latest message, and the log of every event in the order it came.
import type { RunLogEntry } from '../../api/run-progress';

const percent = (f: number | undefined) => (f === undefined ? '' : `${Math.round(f * 100)} %`);

export function RunProgressView({ log }: { log: RunLogEntry[] }) {
  const latest = log.at(-1);
  if (!latest) return null;
  const fromServer = log.filter((e) => e.source === 'server').length;
  // A run that ended without a plan must not look like a full blue bar of success.
  const failed = latest.type === 'failed';
  return (
    <div className={failed ? 'progress progress-failed' : 'progress'} data-outcome={latest.type}>
      <label aria-live="polite">
        {failed ? 'Failed' : 'Progress'}: {latest.message}
        <progress
          max={1}
          value={failed ? 0 : (latest.fraction ?? undefined)}
          aria-valuetext={latest.fraction === undefined ? latest.message : percent(latest.fraction)}
        />
      </label>
      <details className="run-log">
        <summary>
          Run log: {log.length} event{log.length === 1 ? '' : 's'}, {fromServer} from the server
        </summary>
        <ol aria-label="Run log">
          {log.map((e, i) => (
            <li key={i} data-source={e.source} data-type={e.type}>
              <time dateTime={e.at.toISOString()}>{e.at.toLocaleTimeString('en-GB')}</time>{' '}
              {percent(e.fraction)} {e.message}
              {e.source === 'page' ? ' (this page)' : ''}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
