import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { equalShares, greedy } from '../counting/pb-rules';
import { metaValue, pabulibInstance, readPabulib, writePabulib } from './pabulib';

const wesola = readFileSync(
  join(__dirname, '../fixtures/pabulib/poland_warszawa_2017_plac-wojska-polskiego.pb'),
  'utf8',
);

describe('Pabulib files', () => {
  it('round-trips a real Pabulib file byte for byte', () => {
    const file = readPabulib(wesola);
    expect(writePabulib(file)).toBe(wesola);
    expect(file.votes.rows).toHaveLength(Number(metaValue(file, 'num_votes')));
    expect(file.projects.rows).toHaveLength(Number(metaValue(file, 'num_projects')));
  });

  it('counts the file’s votes column and reproduces its greedy selection', () => {
    const file = readPabulib(wesola);
    const inst = pabulibInstance(file);
    expect(inst.budget).toBe(51195);
    for (const row of file.projects.rows) {
      const votes = inst.ballots.filter((b) => (b[row.project_id!] ?? 0) > 0).length;
      expect(votes).toBe(Number(row.votes));
    }
    const selected = file.projects.rows.filter((r) => r.selected === '1').map((r) => r.project_id);
    expect(greedy(inst).selected.sort()).toEqual([...selected].sort());
    // All four fit (44,720 of 51,195): Equal Shares with completion funds them too.
    expect(equalShares(inst).selected.sort()).toEqual([...selected].sort());
  });

  it('reads cumulative points and ordinal ranks, and quotes fields with semicolons', () => {
    const text = [
      'META',
      'key;value',
      'budget;10',
      'vote_type;cumulative',
      'PROJECTS',
      'project_id;cost;name',
      'a;4;"one; two"',
      'b;6;"say ""hi"""',
      'VOTES',
      'voter_id;vote;points',
      '1;a,b;3,2',
      '',
    ].join('\n');
    const file = readPabulib(text);
    expect(file.projects.rows[0]!.name).toBe('one; two');
    expect(file.projects.rows[1]!.name).toBe('say "hi"');
    expect(writePabulib(file)).toBe(text);
    expect(pabulibInstance(file).ballots).toEqual([{ a: 3, b: 2 }]);
    const ordinal = text.replace('vote_type;cumulative', 'vote_type;ordinal\nmax_length;3');
    expect(pabulibInstance(readPabulib(ordinal)).ballots).toEqual([{ a: 3, b: 2 }]);
  });

  it('refuses a vote for a project the file does not list, naming the line’s voter', () => {
    const text = 'META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\na;1\nVOTES\nvoter_id;vote\nv9;a,zz\n';
    expect(() => pabulibInstance(readPabulib(text))).toThrow(/v9.*"zz"/);
    expect(() => readPabulib('budget;5\n')).toThrow(/line 1: the file must start with META/);
  });
});
