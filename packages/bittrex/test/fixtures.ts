import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fixture's parsed JSON. */
export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as T;
}

/** A fixture's file text, as a frame arrives on the socket. */
export function fixtureFrame(name: string, key?: string): string {
  const v = fixture<Record<string, unknown>>(name);
  return JSON.stringify(key === undefined ? v : v[key]);
}
