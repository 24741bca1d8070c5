// The property tests every connector runs on its wire parsers (fast-check),
// written once: any JSON in, a typed value or a typed HbError out; never NaN,
// Infinity, a price <= 0 or a negative size or fee. The inputs are arbitrary
// JSON, and each parser's documented fixture with one field at a time replaced
// by arbitrary JSON or a hostile value.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  HOSTILE_WIRE_VALUES,
  jsonLeafPaths,
  wireOutcomeProblem,
  withLeaf,
} from '../conformance/wire-properties.js';

/** One parser under test, with a valid documented input. */
export interface ParserCase {
  readonly name: string;
  readonly parse: (raw: unknown) => unknown;
  /** The documented input (a fixture) it must parse sane. */
  readonly valid: unknown;
  /** Whether a NaN price means "no price" in this parser's output (market orders). */
  readonly nanPrice?: boolean;
}

/** A hostile wire value: the known-bad ones, any JSON, doubles, strings and numeric strings. */
export const hostileWireValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_WIRE_VALUES),
  fc.jsonValue(),
  fc.double(),
  fc.string(),
  fc.integer().map((n) => String(n)),
  fc.double().map((n) => String(n)),
);

/**
 * Registers three property tests per parser (the fixture parses sane; arbitrary
 * JSON; one field replaced by a hostile value); `extra` registers the
 * connector's own in the same `describe`.
 */
export function describeParserProperties(
  connector: string,
  parsers: readonly ParserCase[],
  extra?: () => void,
): void {
  describe(`${connector} parsers: any JSON in, a typed value or a typed error out`, () => {
    for (const { name, parse, valid, nanPrice = false } of parsers) {
      it(`${name}: the documented input parses sane`, () => {
        expect(wireOutcomeProblem(() => parse(valid), nanPrice)).toBeUndefined();
        expect(() => parse(valid)).not.toThrow();
      });

      it(`${name}: arbitrary JSON`, () => {
        fc.assert(
          fc.property(fc.jsonValue(), (raw) => wireOutcomeProblem(() => parse(raw), nanPrice) === undefined),
          { numRuns: 200 },
        );
      });

      it(`${name}: one field replaced by a hostile value`, () => {
        fc.assert(
          fc.property(fc.constantFrom(...jsonLeafPaths(valid)), hostileWireValue, (path, value) => {
            const problem = wireOutcomeProblem(() => parse(withLeaf(valid, path, value)), nanPrice);
            if (problem !== undefined)
              throw new Error(`${path.join('.')} = ${JSON.stringify(value)}: ${problem}`);
          }),
          { numRuns: 400 },
        );
      });
    }
    extra?.();
  });
}
