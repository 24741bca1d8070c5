// The checks every connector makes of its error classifier, written once: each
// documented refusal gives the documented reason, retryability and outcome,
// with the exchange, code, status and text on the error; every row of the
// connector's table is the one that decides at least one documented case (no
// dead or shadowed row); a body arrives as JSON text as well as parsed; a 5xx
// is an unknown outcome whatever its body says; a body that is not the
// exchange's error shape falls back on the HTTP status; Retry-After is read.
// The table and the documented cases are the connector's own.
import { describe, expect, it } from '@jest/globals';
import type { ErrorMapping, ErrorReason, ExchangeErrorClassifier } from '@hb/core/connector';

/** One documented refusal and how it must be classified. */
export interface ErrorTableCase {
  /** The HTTP status it comes with. */
  readonly status: number;
  /** The exchange's error code, when its bodies carry one. */
  readonly code?: number | string;
  /** The exchange's message text. */
  readonly message: string;
  readonly reason: ErrorReason;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;
}

/** One connector's classifier, its table, and the refusals its documentation shows. */
export interface ErrorTableSpec {
  /** The exchange name the errors carry. */
  readonly exchange: string;
  readonly classify: ExchangeErrorClassifier;
  /** The connector's one classification table (what `classify` uses). */
  readonly table: readonly ErrorMapping[];
  /** The error body the exchange sends for a case (`{code, msg}`, `{message}`). */
  readonly body: (c: ErrorTableCase) => Readonly<Record<string, unknown>>;
  /** At least one case per table row. */
  readonly cases: readonly ErrorTableCase[];
  /** 5xx answers (status, body) with bodies of every kind: none, HTML, a definitive-looking refusal. */
  readonly serverErrors: readonly (readonly [status: number, body: unknown])[];
  /** A 429 body (its Retry-After is read from the headers). */
  readonly rateLimitBody: unknown;
  /** Recorded error bodies (fixtures): label, status, body, reason. */
  readonly recorded: readonly (readonly [
    label: string,
    status: number,
    body: unknown,
    reason: ErrorReason,
  ])[];
}

/** The row of `table` that decides `c`: the first whose given fields all match (as core classifies). */
function decidingRow(table: readonly ErrorMapping[], c: ErrorTableCase): ErrorMapping | undefined {
  return table.find(
    (r) =>
      (r.code === undefined || (c.code !== undefined && String(r.code) === String(c.code))) &&
      (r.message === undefined || r.message.test(c.message)) &&
      (r.httpStatus === undefined || r.httpStatus === c.status),
  );
}

/**
 * The rows of `table` that decide none of `cases` (each case is decided by the
 * first row whose given fields all match it, as core classifies), each named by
 * its code, message pattern and status: rows no documented refusal reaches, or
 * rows shadowed by an earlier, broader one.
 */
export function undecidedRows(table: readonly ErrorMapping[], cases: readonly ErrorTableCase[]): string[] {
  const decided = new Set(cases.map((c) => decidingRow(table, c)));
  return table
    .filter((r) => !decided.has(r))
    .map((r) =>
      [r.code, r.message, r.httpStatus]
        .filter((x) => x !== undefined)
        .map(String)
        .join(' '),
    );
}

/**
 * Registers the classifier checks of one connector in a `describe`; `extra`
 * registers the connector's own tests in it.
 */
export function describeErrorTable(spec: ErrorTableSpec, extra?: () => void): void {
  const { exchange, classify } = spec;
  describe(`${exchange} error classification`, () => {
    it.each(spec.cases.map((c) => [c.status, c.code ?? '-', c.message, c] as const))(
      'documented: %i %s %s',
      (_status, _code, _message, c) => {
        const e = classify(c.status, spec.body(c));
        expect({ reason: e.reason, retryable: e.retryable, outcomeUnknown: e.outcomeUnknown }).toEqual({
          reason: c.reason,
          retryable: c.retryable,
          outcomeUnknown: c.outcomeUnknown,
        });
        expect([e.exchange, e.exchangeCode, e.httpStatus]).toEqual([exchange, c.code, c.status]);
        const code = c.code === undefined ? [] : [`code ${c.code}`];
        expect(e.message).toBe([exchange, ...code, c.message].join(': '));
      },
    );

    it('every row of the table decides at least one documented case', () => {
      expect(undecidedRows(spec.table, spec.cases)).toEqual([]);
    });

    it('classifies a body given as JSON text the same as the parsed body', () => {
      for (const c of spec.cases) {
        const parsed = classify(c.status, spec.body(c));
        const text = classify(c.status, JSON.stringify(spec.body(c)));
        expect([text.reason, text.exchangeCode, text.message]).toEqual([
          parsed.reason,
          parsed.exchangeCode,
          parsed.message,
        ]);
      }
    });

    it.each(spec.recorded.map(([label, status, body, reason]) => [label, status, reason, body] as const))(
      'recorded: %s (%i) -> %s',
      (_label, status, reason, body) => {
        expect(classify(status, body).reason).toBe(reason);
      },
    );

    it('treats every 5xx as a retryable unknown outcome, whatever the body says', () => {
      for (const [status, body] of spec.serverErrors) {
        const e = classify(status, body);
        expect({ status, unknown: e.outcomeUnknown, retryable: e.retryable }).toEqual({
          status,
          unknown: true,
          retryable: true,
        });
      }
    });

    it('falls back on the HTTP status for a body that is not an error body (a proxy page, nothing)', () => {
      const fallback = (status: number | undefined, body: unknown) => {
        const e = classify(status, body);
        return [e.reason, e.exchangeCode];
      };
      expect(fallback(403, '<html>403 Forbidden</html>')).toEqual(['authentication', undefined]);
      expect(fallback(404, undefined)).toEqual(['order_not_found', undefined]);
      expect(fallback(429, '')).toEqual(['rate_limit', undefined]);
      expect(fallback(undefined, undefined)).toEqual(['unknown', undefined]);
    });

    it('reads Retry-After seconds from plain headers (any case, array values) and fetch Headers', () => {
      const limited = (headers: Parameters<ExchangeErrorClassifier>[2]) => {
        const e = classify(429, spec.rateLimitBody, headers);
        return [e.reason, e.retryAfterMs];
      };
      expect(limited({ 'retry-after': '7' })).toEqual(['rate_limit', 7000]);
      expect(limited({ 'Retry-After': ['120'] })).toEqual(['rate_limit', 120_000]);
      expect(limited(new Headers({ 'Retry-After': '3' }))).toEqual(['rate_limit', 3000]);
      expect(limited({ 'retry-after': 'soon' })).toEqual(['rate_limit', undefined]);
      expect(limited(undefined)).toEqual(['rate_limit', undefined]);
    });
    extra?.();
  });
}
