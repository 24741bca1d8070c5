// Parse-then-compare, written once: every connector checks that its parsers turn
// each recorded fixture into exactly the documented value (decimals as exact
// strings). The code of that check is generic; what a fixture decodes to is data
// about the exchange, so it lives beside the fixtures in a JSON expectation file
// (test/expected/<name>.json) that the connector's spec names, next to the cases
// that produce the values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { plainDecimals } from '../util/fixtures.js';

/** Case title -> a function that decodes the case's input (a fixture, or a documented variant of one). */
export type DecodingCases = Readonly<Record<string, () => unknown>>;

/**
 * Reads an expectation file: a JSON object with one entry per case title, each
 * the value that case decodes to (BigNumbers written as exact decimal strings,
 * as {@link plainDecimals} renders them; absent fields simply left out).
 */
export function readExpectations(expectedFile: string): Readonly<Record<string, unknown>> {
  const parsed: unknown = JSON.parse(readFileSync(expectedFile, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${expectedFile}: an expectation file is a JSON object keyed by case title`);
  return parsed as Record<string, unknown>;
}

/**
 * Registers, in a `describe` named after the expectation file
 * `<testDir>/expected/<name>.json`, one test per case: `plainDecimals` of what
 * the case decodes must equal (Jest `toEqual`) the value stored under the case's
 * title in that file. One more test fails when the file holds an entry no case
 * checks, so an expectation cannot silently stop being tested. `extra` registers
 * the connector's own tests in the same `describe`.
 */
export function describeDecoding(
  testDir: string,
  name: string,
  cases: DecodingCases,
  extra?: () => void,
): void {
  const file = join('expected', `${name}.json`);
  describe(`decodes each case as ${file} says`, () => {
    const expected = readExpectations(join(testDir, file));
    for (const [title, decode] of Object.entries(cases)) {
      it(title, () => {
        // A missing entry fails by name here, rather than comparing against undefined.
        expect({ [title]: Object.hasOwn(expected, title) }).toEqual({ [title]: true });
        expect(plainDecimals(decode())).toEqual(expected[title]);
      });
    }

    it('every expectation in the file has its case', () => {
      expect(Object.keys(expected).filter((k) => !Object.hasOwn(cases, k))).toEqual([]);
    });
    extra?.();
  });
}
