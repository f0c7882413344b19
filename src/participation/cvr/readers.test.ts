// The cast-vote readers read what RCTab reads, and refuse bad input naming the file, row and column.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../core/errors';
import { OVERVOTE, plainRanking } from '../counting/ranked-ballots';
import { readBlt } from './blt';
import { loadRctabContest } from './load-contest';
import { parseRctabConfig } from './rctab-config';

function config(source: Record<string, unknown>, rules: Record<string, unknown> = {}): string {
  return JSON.stringify({
    tabulatorVersion: 'TEST',
    outputSettings: { contestName: 'Test' },
    cvrFileSources: [source],
    candidates: [{ name: 'Alice', aliases: ['Al'] }, { name: 'Bob' }, { name: 'Carol' }],
    rules: {
      tiebreakMode: 'useCandidateOrder',
      overvoteRule: 'alwaysSkipToNextRank',
      winnerElectionMode: 'singleWinnerMajority',
      numberOfWinners: '1',
      decimalPlacesForVoteArithmetic: '4',
      maxSkippedRanksAllowed: 'unlimited',
      maxRankingsAllowed: '3',
      ...rules,
    },
  });
}

async function caught(p: Promise<unknown> | (() => unknown)): Promise<DomainError> {
  const e: unknown =
    typeof p === 'function'
      ? (() => {
          try {
            p();
          } catch (x) {
            return x;
          }
          return undefined;
        })()
      : await p.catch((x: unknown) => x);
  if (!isDomainError(e)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}

async function workbook(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const ess = {
  provider: 'ess',
  filePath: 'cvr.xlsx',
  firstVoteColumnIndex: '2',
  firstVoteRowIndex: '2',
  overvoteLabel: 'overvote',
  skippedRankLabel: 'undervote',
  undeclaredWriteInLabel: 'UWI',
};

describe('ES&S spreadsheets', () => {
  it('reads names, aliases, overvote and skipped-rank labels, write-ins, and no column beyond maxRankingsAllowed', async () => {
    const bytes = await workbook([
      ['id', '1st', '2nd', '3rd', 'Count'],
      [1, ' Alice ', 'undervote', 'Bob', 1],
      [2, 'Al', 'overvote', 'UWI', 1],
      [3, null, 'Carol', null, 1],
    ]);
    const { contest } = await loadRctabContest(parseRctabConfig(config(ess)), new Map([['cvr.xlsx', bytes]]));
    expect(contest.undeclaredWriteIns).toBe(true);
    expect([0, 1, 2].map((b) => plainRanking(contest.ballots, b))).toEqual([
      [[0], [], [1]],
      [[0], [OVERVOTE], [3]],
      [[], [2]],
    ]);
  });

  it('splits a cell at the overvote delimiter, and makes blanks write-ins when asked', async () => {
    const bytes = await workbook([
      ['id', '1st', '2nd', '3rd'],
      [1, 'Alice//Bob', null, 'Carol'],
    ]);
    const source = {
      ...ess,
      overvoteLabel: '',
      overvoteDelimiter: '//',
      treatBlankAsUndeclaredWriteIn: true,
    };
    const { contest } = await loadRctabContest(
      parseRctabConfig(config(source)),
      new Map([['cvr.xlsx', bytes]]),
    );
    expect(plainRanking(contest.ballots, 0)).toEqual([[0, 1], [3], [2]]);
  });

  it('refuses an unknown candidate naming file, row and column', async () => {
    const bytes = await workbook([
      ['id', '1st', '2nd', '3rd'],
      [1, 'Alice', 'Bob'],
      [2, 'Bob', 'Zed', 'Alice'],
    ]);
    const e = await caught(loadRctabContest(parseRctabConfig(config(ess)), new Map([['cvr.xlsx', bytes]])));
    expect(e.issues[0]).toEqual({
      field: 'cvr.xlsx row 3, column C',
      message: 'unknown candidate "Zed": not a candidate name or alias of the configuration',
    });
    expect(e.message).toContain('cvr.xlsx row 3, column C');
  });

  it('refuses a file that is not a workbook', async () => {
    const e = await caught(
      loadRctabContest(parseRctabConfig(config(ess)), new Map([['cvr.xlsx', Buffer.from('id,1st\n')]])),
    );
    expect(e.message).toContain('not a readable .xlsx workbook');
  });
});

describe('generic CSV', () => {
  const csv = {
    provider: 'genericCsv',
    filePath: 'cvr.csv',
    firstVoteColumnIndex: '2',
    firstVoteRowIndex: '2',
    undeclaredWriteInLabel: 'Write-In',
  };

  it('reads ranks under candidate headers, the write-in column included', async () => {
    const text = 'id,Alice,Bob,Carol,Write-In\nr1,2,1,,\nr2,,,,1\n';
    const { contest } = await loadRctabContest(
      parseRctabConfig(config(csv)),
      new Map([['cvr.csv', Buffer.from(text)]]),
    );
    expect(plainRanking(contest.ballots, 0)).toEqual([[1], [0]]);
    expect(plainRanking(contest.ballots, 1)).toEqual([[3]]);
  });

  it('refuses a cell that is not a rank, naming row and column', async () => {
    const text = 'id,Alice,Bob,Carol\nr1,1,2,3\nr2,1,x,2\n';
    const e = await caught(
      loadRctabContest(parseRctabConfig(config(csv)), new Map([['cvr.csv', Buffer.from(text)]])),
    );
    expect(e.issues[0]).toEqual({
      field: 'cvr.csv row 3, column C',
      message: 'expected a rank (a whole number from 1), got "x"',
    });
  });
});

describe('NIST CDF JSON', () => {
  const cdf = (candidateName: string): Buffer =>
    Buffer.from(
      JSON.stringify({
        Election: [
          {
            Candidate: [{ '@id': 'c1', Name: candidateName }],
            Contest: [
              { '@id': 'k1', Name: 'Mayor', ContestSelection: [{ '@id': 's1', CandidateIds: ['c1'] }] },
            ],
          },
        ],
        CVR: [
          {
            BallotPrePrintedId: '17',
            CurrentSnapshotId: 'x',
            CVRSnapshot: [
              {
                '@id': 'x',
                CVRContest: [
                  {
                    ContestId: 'k1',
                    CVRContestSelection: [
                      { ContestSelectionId: 's1', SelectionPosition: [{ Rank: 1, HasIndication: 'yes' }] },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
  const source = { provider: 'cdf', filePath: 'cvr.json', contestId: 'Mayor' };

  it('reads a candidate by alias', async () => {
    const { contest } = await loadRctabContest(
      parseRctabConfig(config(source)),
      new Map([['cvr.json', cdf('Al')]]),
    );
    expect(plainRanking(contest.ballots, 0)).toEqual([[0]]);
  });

  it('refuses an unknown candidate naming the record and the ballot', async () => {
    const e = await caught(
      loadRctabContest(parseRctabConfig(config(source)), new Map([['cvr.json', cdf('Zed')]])),
    );
    expect(e.issues[0]?.field).toBe('cvr.json CVR[0] (ballot 17).CVRContestSelection[0]');
  });

  it('refuses a count by precinct when no record names a precinct, as RCTab does', async () => {
    const withPrecincts = JSON.parse(config(source)) as { outputSettings: Record<string, unknown> };
    withPrecincts.outputSettings.tabulateByPrecinct = true;
    const e = await caught(
      loadRctabContest(parseRctabConfig(JSON.stringify(withPrecincts)), new Map([['cvr.json', cdf('Al')]])),
    );
    expect(e.issues[0]?.field).toBe('outputSettings.tabulateByPrecinct');
  });

  it('refuses a contest name the file does not have', async () => {
    const e = await caught(
      loadRctabContest(
        parseRctabConfig(config({ ...source, contestId: 'Council' })),
        new Map([['cvr.json', cdf('Al')]]),
      ),
    );
    expect(e.message).toContain('no contest named "Council"');
  });
});

describe('RCTab configurations', () => {
  it('refuses bad rule values naming each field', async () => {
    const e = await caught(() =>
      parseRctabConfig(
        config(ess, { numberOfWinners: 'three', overvoteRule: 'ask', maxSkippedRanksAllowed: '' }),
      ),
    );
    expect(e.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining(['rules.numberOfWinners', 'rules.overvoteRule', 'rules.maxSkippedRanksAllowed']),
    );
  });

  it('names the providers it cannot read', async () => {
    const e = await caught(() => parseRctabConfig(config({ ...ess, provider: 'dominion' })));
    expect(e.issues[0]).toEqual({
      field: 'cvrFileSources[0].provider',
      message: '"dominion" is not read by OGAS: use ess (xlsx), cdf (NIST CDF JSON) or genericCsv',
    });
  });

  it('accepts the names of older RCTab versions', () => {
    const parsed = parseRctabConfig(
      config(ess, { winnerElectionMode: 'singleSeatContinueUntilTwoCandidatesRemain' }),
    );
    expect(parsed.rules.winnerElectionMode).toBe('singleWinnerMajority');
    expect(parsed.rules.continueUntilTwoCandidatesRemain).toBe(true);
  });

  it('says which cast-vote file is missing', async () => {
    const e = await caught(loadRctabContest(parseRctabConfig(config(ess)), new Map()));
    expect(e.issues[0]?.field).toBe('cvrFileSources[0].filePath');
  });
});

describe('.blt files', () => {
  it('reads weights, withdrawn candidates, equal ranks and skipped ranks', () => {
    const e = readBlt('3 1\n-2\n4 1 2 0\n2 3=1 - 2 0  # a comment\n0\n"A"\n"B"\n"C"\n"Title"\n');
    expect(e).toEqual(
      expect.objectContaining({ title: 'Title', candidates: ['A', 'B', 'C'], seats: 1, withdrawn: [1] }),
    );
    expect(Array.from(e.ballots.counts ?? [])).toEqual([4, 2]);
    expect(plainRanking(e.ballots, 1)).toEqual([[2, 0], [], [1]]);
  });

  it('refuses a bad line naming it', async () => {
    const e = await caught(() => readBlt('2 1\n1 1 5 0\n0\n"A"\n"B"\n"T"\n'));
    expect(e.issues[0]).toEqual({ field: 'line 2', message: '"5" is not a candidate number from 1 to 2' });
  });
});
