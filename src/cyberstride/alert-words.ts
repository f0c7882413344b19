// What an alert says, in the operator's terms: the indicator's name and measure, what happened, rounded for
// people ("Cars finished per hour fell from about 43 to 0 cars at 10:05 UTC on 1 Mar"); the detector's
// statistics stay available beside it.

export interface AlertSubject {
  /** The indicator's name, e.g. "Cars finished per hour". */
  name?: string;
  /** Its unit of measure, e.g. "cars" or "°C". */
  measure?: string;
}

/** What the words need from a signal's evidence and its reading. */
export interface AlertFacts {
  value: number;
  at: Date;
  /** The recent level before the reading, if the detector knows it. */
  usual?: number | null;
  /** The range the forecast expected, if any. */
  expected?: { lower: number; upper: number } | null;
  rule: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A number rounded for people: whole numbers from 10 up (with thousands separated), two significant digits below. */
export function roundForPeople(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 10) return Math.round(x).toLocaleString('en-GB');
  if (a === 0) return '0';
  return String(Number(x.toPrecision(2)));
}

/** "10:05 UTC on 1 Mar" */
export function timeForPeople(at: Date): string {
  const hh = String(at.getUTCHours()).padStart(2, '0');
  const mm = String(at.getUTCMinutes()).padStart(2, '0');
  return `${hh}:${mm} UTC on ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()] ?? ''}`;
}

const withMeasure = (x: number, measure?: string) =>
  measure === undefined || measure === '' ? roundForPeople(x) : `${roundForPeople(x)} ${measure}`;

/** One sentence saying what happened to the indicator at the reading. */
export function alertSentence(subject: AlertSubject, facts: AlertFacts): string {
  const name = subject.name ?? 'The indicator';
  const when = timeForPeople(facts.at);
  const value = withMeasure(facts.value, subject.measure);
  const usual = facts.usual;
  if (usual !== undefined && usual !== null && roundForPeople(usual) !== roundForPeople(facts.value)) {
    const verb = facts.value < usual ? 'fell' : 'rose';
    const beyond = facts.rule === 'new-extreme' ? ', beyond anything seen before' : '';
    return `${name} ${verb} from about ${roundForPeople(usual)} to ${value} at ${when}${beyond}.`;
  }
  if (facts.expected) {
    const { lower, upper } = facts.expected;
    return `${name} behaved unusually at ${when}: ${value}, where ${roundForPeople(lower)} to ${roundForPeople(upper)} was expected.`;
  }
  return `${name} behaved unusually at ${when}: ${value}.`;
}
