// Recorded payloads beside a package's tests (test/fixtures/<name>.json, each
// listed with its source in test/fixtures/README.md), read the same way by
// every connector's specs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads one fixture as parsed JSON, typed by the caller. */
export type FixtureReader = <T = unknown>(name: string) => T;

/** A reader of `<testDir>/fixtures/<name>`: `const fixture = fixtureReader(__dirname)`. */
export function fixtureReader(testDir: string): FixtureReader {
  return <T>(name: string): T => JSON.parse(readFileSync(join(testDir, 'fixtures', name), 'utf8')) as T;
}
