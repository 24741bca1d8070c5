// Loads a recorded payload from test/fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parsed JSON of `test/fixtures/<name>`. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as unknown;
}
