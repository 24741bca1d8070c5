// Recorded payloads beside a package's tests (test/fixtures/<name>.json, each
// listed with its source in test/fixtures/README.md), read the same way by
// every connector's specs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BigNumber from 'bignumber.js';

/** Reads one fixture as parsed JSON, typed by the caller (default `D`). */
export type FixtureReader<D = unknown> = <T = D>(name: string) => T;

/**
 * A reader of `<testDir>/fixtures/<name>`: `const fixture = fixtureReader(__dirname)`;
 * `fixtureReader<Json>(__dirname)` reads objects unless a call says otherwise.
 */
export function fixtureReader<D = unknown>(testDir: string): FixtureReader<D> {
  return <T = D>(name: string): T => JSON.parse(readFileSync(join(testDir, 'fixtures', name), 'utf8')) as T;
}

/**
 * `value` with every BigNumber as its exact decimal string and every Set as a
 * sorted array, recursively: parsed results compare to literals.
 */
export function plainDecimals(value: readonly unknown[]): unknown[];
export function plainDecimals(value: object): Record<string, unknown>;
export function plainDecimals(value: unknown): unknown;
export function plainDecimals(value: unknown): unknown {
  if (BigNumber.isBigNumber(value)) return value.toFixed();
  if (value instanceof Set) return [...(value as Set<unknown>)].map(plainDecimals).sort();
  if (Array.isArray(value)) return value.map(plainDecimals);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainDecimals(v)]));
  return value;
}
