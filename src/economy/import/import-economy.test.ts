// Format detection and the single import entry point.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import { detectFormat } from './detect-format';
import { importEconomy } from './import-economy';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

describe('detectFormat', () => {
  it('recognises each format from its content', () => {
    expect(detectFormat(undefined, fixture('example-economy.json'))).toBe('ogas-json');
    expect(detectFormat(undefined, fixture('example-economy.csv'))).toBe('ogas-csv');
    expect(detectFormat(undefined, fixture('eurostat-manual-table-15-4.csv'))).toBe('iot-csv');
    expect(detectFormat(undefined, fixture('ochoa-1984.json'))).toBe('matrix-json');
    expect(detectFormat(undefined, fixture('wiod-niot-2016-DEU.xlsx'))).toBe('wiod-xlsx');
  });

  it('sends broken JSON to the JSON importer, which names the syntax error', async () => {
    expect(detectFormat('model.json', '{"name": "x",')).toBe('ogas-json');
    const error = await importEconomy('{"name": "x",').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as DomainError).issues[0]?.field).toBe('(file)');
  });

  it('refuses content it cannot recognise, asking for the format', () => {
    expect(() => detectFormat('notes.txt', 'hello,world\n1,2\n')).toThrow(DomainError);
  });
});

describe('importEconomy', () => {
  it('imports each text format through auto-detection', async () => {
    expect((await importEconomy(fixture('example-economy.csv'))).report.format).toBe('ogas-csv');
    expect((await importEconomy(fixture('eurostat-manual-table-15-4.csv'))).report.products).toBe(6);
    expect((await importEconomy(fixture('ochoa-1984.json'))).matrices?.l).toEqual([0.193, 3.562, 0.616]);
  });

  it('passes options to the importer it chooses', async () => {
    const csv = fixture('eurostat-manual-table-15-4.csv');
    const { model } = await importEconomy(csv, { format: 'iot-csv', unit: 'EUR million (1995)' });
    expect(model.products[0]?.unit).toBe('EUR million (1995)');
  });

  it('refuses a WIOD table without a year', async () => {
    const error = await importEconomy(Buffer.from('PK\u0003\u0004'), {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).issues[0]?.field).toBe('year');
  });
});
