// The ways a value holding keys gets printed by accident — String, template,
// JSON, util.inspect (with and without custom inspectors), own properties — so
// every connector's signer is checked against the same list.
import { inspect } from 'node:util';

/** Every rendering of `value` a log, an error or a debugger could show. */
export function accidentalRenderings(value: object): string[] {
  const own = Object.getOwnPropertyNames(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
  return [
    JSON.stringify(value),
    inspect(value),
    inspect(value, { showHidden: true, depth: 10 }),
    inspect(value, { customInspect: false, showHidden: true, depth: 10 }),
    `${String(value)}`,
    JSON.stringify(Object.entries(value)),
    JSON.stringify(own),
  ];
}

/**
 * The renderings of `value` that show one of `secrets` (or its first 16
 * characters, for long ones): empty when nothing leaks.
 */
export function leakedSecrets(value: object, secrets: readonly string[]): string[] {
  const needles = secrets.flatMap((s) => (s.length > 16 ? [s, s.slice(0, 16)] : [s]));
  return accidentalRenderings(value).filter((text) => needles.some((n) => text.includes(n)));
}
