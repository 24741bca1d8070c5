// The property every connector's parser must have (DESIGN.md, "Values checked at
// the wire"): whatever JSON comes in, a typed value or a typed error comes out;
// never NaN, never Infinity, never a negative size or fee, never a price <= 0.
// Connectors' property-based tests feed their parsers generated and mutated
// frames (with fast-check) and pass each outcome to `wireOutcomeProblem`.
import BigNumber from 'bignumber.js';
import { HbError } from '@hb/core';

/** Hostile strings and values worth trying in any decimal or id field. */
export const HOSTILE_WIRE_VALUES: readonly unknown[] = [
  '-0.005',
  '-1',
  '9'.repeat(401),
  `0.${'1'.repeat(40)}`,
  'NaN',
  'Infinity',
  '-Infinity',
  '',
  ' ',
  '1e400',
  '0x10',
  '0',
  '0.0',
  -1,
  1e400,
  Number.NaN,
  null,
  true,
  [],
  {},
];

const PRICE_KEY = /price$/i;
const SIZE_KEY = /(amount|size|qty|quantity|fee|total|available|filled)$/i;

/**
 * Undefined when `value` (a parser's result) is sane; otherwise what is wrong:
 * a non-finite number or BigNumber anywhere; a price (a key ending in `price`, or
 * the first element of a `bids`/`asks` level) that is not > 0; an amount, size,
 * fee or balance that is negative. A NaN BigNumber is allowed only under a
 * `price` key when `nanPriceAllowed` (market orders have no price).
 */
export function wireValueProblem(value: unknown, nanPriceAllowed = false, path = '$'): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (BigNumber.isBigNumber(value)) {
    if (value.isFinite()) return undefined;
    if (value.isNaN() && nanPriceAllowed && PRICE_KEY.test(path)) return undefined;
    return `${path} is ${value.toString()}`;
  }
  if (Array.isArray(value)) {
    const levels = /\.(bids|asks)$/.test(path);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (levels && Array.isArray(item)) {
        const [p, a] = item as unknown[];
        if (!(typeof p === 'number' && p > 0 && p < Infinity)) return `${path}[${i}] price ${String(p)}`;
        if (!(typeof a === 'number' && a >= 0 && a < Infinity)) return `${path}[${i}] amount ${String(a)}`;
        continue;
      }
      const p = wireValueProblem(item, nanPriceAllowed, `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const here = `${path}.${k}`;
      const p = wireValueProblem(v, nanPriceAllowed, here);
      if (p) return p;
      const n = typeof v === 'number' ? v : BigNumber.isBigNumber(v) ? v.toNumber() : undefined;
      if (n === undefined || Number.isNaN(n)) continue;
      if (PRICE_KEY.test(k) && !(n > 0)) return `${here} is ${n} (a price must be > 0)`;
      if (SIZE_KEY.test(k) && n < 0) return `${here} is ${n} (must be >= 0)`;
    }
  }
  return undefined;
}

/**
 * Runs `parse` and says what is wrong with its outcome, or undefined when it is
 * a sane value or an `HbError` (the typed refusal). Any other throw (TypeError,
 * RangeError, BigNumber's own errors) is a problem: bad input must give a typed error.
 */
export function wireOutcomeProblem(parse: () => unknown, nanPriceAllowed = false): string | undefined {
  let value: unknown;
  try {
    value = parse();
  } catch (e) {
    return e instanceof HbError
      ? undefined
      : `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  return wireValueProblem(value, nanPriceAllowed);
}

/** Every path to a leaf of a JSON value (for mutating one field at a time). */
export function jsonLeafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonLeafPaths(v, [...prefix, i]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => jsonLeafPaths(v, [...prefix, k]));
  return [prefix];
}

/** A deep copy of `value` with the leaf at `path` replaced by `replacement`. */
export function withLeaf(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withLeaf(v, rest, replacement) : v));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    out[String(head)] = withLeaf(out[String(head)], rest, replacement);
    return out;
  }
  return value;
}
