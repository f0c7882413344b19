// java.util.Random, Collections.shuffle and HashSet order, against values printed by OpenJDK 17.
import { describe, expect, it } from 'vitest';
import { JavaRandom, javaHashSetOrder, javaShuffle, javaStringHash } from './java-random';

describe('JavaRandom, bit for bit', () => {
  it('gives the sequence of new Random(42)', () => {
    const r = new JavaRandom(42);
    expect([r.nextInt(), r.nextInt(10), r.nextInt(16), r.nextInt(1000), r.nextDouble()]).toEqual([
      -1170105035, 3, 10, 884, 0.30871945533265976,
    ]);
  });

  it('gives the doubles of new Random(0) and of the most negative seed RCTab allows', () => {
    const r = new JavaRandom(0);
    expect([r.nextDouble(), r.nextDouble()]).toEqual([0.730967787376657, 0.24053641567148587]);
    const n = new JavaRandom(-140737488355328n);
    expect([n.nextDouble(), n.nextInt(7)]).toEqual([0.23096777992607642, 5]);
  });

  it('shuffles as Collections.shuffle(list, new Random(7))', () => {
    const names = ['Alice', 'Bob', 'Carol', 'Dave', 'Eve', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy'];
    expect(javaShuffle(names, new JavaRandom(7))).toEqual([
      'Alice',
      'Bob',
      'Judy',
      'Dave',
      'Heidi',
      'Eve',
      'Ivan',
      'Frank',
      'Carol',
      'Grace',
    ]);
  });

  it('hashes strings and orders a HashSet as Java does', () => {
    expect(javaStringHash('Jacob Frey')).toBe(-1875888799);
    expect(javaStringHash('Ñandú')).toBe(196014676);
    expect(javaHashSetOrder(['Jacob Frey', 'Tom Hoch', 'Betsy Hodges'])).toEqual([
      'Jacob Frey',
      'Tom Hoch',
      'Betsy Hodges',
    ]);
    const names = [
      'JOHN ERWIN',
      'ANNIE YOUNG',
      'MEG FORNEY',
      'Undeclared Write-ins',
      'Candidate A Name',
      'Candidate B Name',
      'Candidate C Name',
      'Tom Hoch',
      'Jacob Frey',
      'Betsy Hodges',
      'Al Flowers',
      'Theron Preston Washington',
      'Zed',
      'Ñandú',
      'a',
      'b',
    ];
    expect(javaHashSetOrder(names)).toEqual([
      'ANNIE YOUNG',
      'Tom Hoch',
      'a',
      'Candidate A Name',
      'b',
      'Undeclared Write-ins',
      'Candidate C Name',
      'Betsy Hodges',
      'Jacob Frey',
      'Zed',
      'Theron Preston Washington',
      'Ñandú',
      'JOHN ERWIN',
      'MEG FORNEY',
      'Candidate B Name',
      'Al Flowers',
    ]);
  });
});
