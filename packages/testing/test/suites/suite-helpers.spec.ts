import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BigNumber from 'bignumber.js';
import type { ErrorMapping } from '@hb/core/connector';
import { conformanceChecks } from '../../src/conformance/conformance-checks.js';
import {
  conformanceCheckNamed,
  describeDecoding,
  plantedBugs,
  readExpectations,
  undecidedRows,
  type ErrorTableCase,
} from '../../src/suites/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hb-decoding-'));
const file = (name: string, value: unknown): string => {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

afterAll(() => {
  for (const d of [dir, testDir]) rmSync(d, { recursive: true, force: true });
});

describe('readExpectations', () => {
  it('reads an object keyed by case title', () => {
    expect(readExpectations(file('ok', { a: 1 }))).toEqual({ a: 1 });
  });

  it('refuses a file that is not such an object', () => {
    expect(() => readExpectations(file('list', [1]))).toThrow(/keyed by case title/);
    expect(() => readExpectations(file('null', null))).toThrow(/keyed by case title/);
  });
});

// The suite on itself: decimals compare as exact strings, an undefined field as an absent one.
// describeDecoding reads <testDir>/expected/<name>.json.
const testDir = mkdtempSync(join(tmpdir(), 'hb-decoding-'));
mkdirSync(join(testDir, 'expected'));
writeFileSync(
  join(testDir, 'expected', 'self.json'),
  JSON.stringify({ 'a price and a size': { price: '0.1', size: ['1', '2.5'], pair: 'A-B' } }),
);
describeDecoding(testDir, 'self', {
  'a price and a size': () => ({
    price: new BigNumber('0.10'),
    size: [new BigNumber(1), new BigNumber('2.50')],
    pair: 'A-B',
    note: undefined,
  }),
});

describe('undecidedRows', () => {
  const c = (code: number, message: string): ErrorTableCase => ({
    status: 400,
    code,
    message,
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  });

  it('names a row no documented case reaches', () => {
    const table: ErrorMapping[] = [
      { code: -1, reason: 'invalid_order' },
      { code: -2, reason: 'order_not_found' },
    ];
    expect(undecidedRows(table, [c(-1, 'x')])).toEqual(['-2']);
  });

  it('names a message row shadowed by an earlier catch-all for its code', () => {
    const table: ErrorMapping[] = [
      { code: -1, reason: 'invalid_order' },
      { code: -1, message: /balance/, reason: 'insufficient_funds' },
    ];
    expect(undecidedRows(table, [c(-1, 'balance too low'), c(-1, 'other')])).toEqual(['-1 /balance/']);
    expect(undecidedRows([...table].reverse(), [c(-1, 'balance too low'), c(-1, 'other')])).toEqual([]);
  });
});

describe('conformanceCheckNamed', () => {
  it('finds the check whose name contains the fragment', () => {
    const check = conformanceCheckNamed('after fault repeatSequence');
    expect(conformanceChecks).toContain(check);
    expect(check.name).toContain('after fault repeatSequence');
  });

  it('throws for a fragment no check has, so a renamed check fails its spec', () => {
    expect(() => conformanceCheckNamed('no such check')).toThrow(/no conformance check named like/);
  });

  it('knows the check of every planted bug', () => {
    for (const bug of Object.values(plantedBugs))
      expect(conformanceCheckNamed(bug.check).name).toContain(bug.check);
  });
});
