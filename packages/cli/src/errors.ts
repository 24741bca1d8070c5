// Every failure ends as one line on stderr: `hb: <exchange>: <what failed>: <code> <message>`.
// This file turns errors (the CLI's own and a connector's HbErrors) into that line.
import { isHbErrorLike, type HbErrorLike } from './contracts.js';

/** Exit status for a failure the user or the exchange caused. */
export const EXIT_FAILURE = 1;
/** Exit status for a command line that could not be parsed. */
export const EXIT_USAGE = 2;
/** Exit status after Ctrl-C (128 + SIGINT), as shells expect. */
export const EXIT_INTERRUPTED = 130;

/**
 * Exit status per error class (`reason` of `@hb/core`'s `HbError` subclasses), so
 * scripts can tell failures apart without parsing stderr. 1 stays the status of
 * anything else; 2 is a usage error; 130 an interrupt.
 */
export const EXIT_CODES: Readonly<Record<string, number>> = {
  /** AuthenticationError */
  authentication: 3,
  /** InsufficientFundsError */
  insufficient_funds: 4,
  /** InvalidOrderError (and OrderRuleError) */
  invalid_order: 5,
  /** OrderNotFoundError */
  order_not_found: 6,
  /** RateLimitError */
  rate_limit: 7,
  /** NetworkError */
  network: 8,
  /** TimeoutError */
  timeout: 9,
  /** ExchangeUnavailableError */
  unavailable: 10,
  /** MalformedMessageError */
  malformed_message: 11,
};

/** The exit status for an error: its class's code, the CLI error's own, or 1. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  if (isHbErrorLike(e)) return EXIT_CODES[e.reason] ?? EXIT_FAILURE;
  return EXIT_FAILURE;
}

/**
 * A failure the CLI reports itself: which exchange, what failed, and the
 * details (the exchange's code and message when there is one).
 */
export class CliError extends Error {
  /** The exchange concerned, when there is one. */
  readonly exchange: string | undefined;
  /** What failed, in a few words (`unknown pair FOO-BAR`). */
  readonly what: string;
  /** The exchange's own code, when the failure came from it. */
  readonly code: string | number | undefined;
  /** The process exit status. */
  readonly exitCode: number;

  constructor(options: {
    readonly exchange?: string;
    readonly what: string;
    readonly detail?: string;
    readonly code?: string | number;
    readonly exitCode?: number;
  }) {
    super(options.detail ?? '');
    this.name = 'CliError';
    this.exchange = options.exchange;
    this.what = options.what;
    this.code = options.code;
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
  }
}

/** Words for the trading rule an `OrderRuleError` names. */
const RULE_TEXT: Readonly<Record<string, string>> = {
  min_order_size: 'below the minimum order size',
  max_order_size: 'above the maximum order size',
  size_increment: 'amount off the size step',
  price_tick: 'price off the price tick',
  min_price: 'price below the minimum',
  max_price: 'price above the maximum',
  min_notional: 'below the minimum notional',
  order_type: 'order type not accepted',
  trading_disabled: 'trading disabled',
  unknown_pair: 'unknown pair',
  missing_price: 'price missing',
  expiry: 'expiry not accepted or in the past',
};

/** What the CLI was doing when an error happened, to word the line. */
export interface FailureContext {
  /** The exchange the command talks to. */
  readonly exchange?: string;
  /** The operation (`placing the order`, `loading balances`); used for reasons without a better phrase. */
  readonly operation?: string;
  /** The URL tried, for network failures. */
  readonly url?: string;
}

/**
 * Words for what failed, from the error's reason. Order rejections say which rule
 * or which refusal; network failures say the URL tried.
 */
export function describeFailure(e: HbErrorLike, ctx: FailureContext): string {
  switch (e.reason) {
    case 'authentication':
      return 'authentication rejected';
    case 'insufficient_funds':
      return 'order rejected: insufficient balance';
    case 'invalid_order': {
      if (e.name === 'NotSupportedError') return 'not supported';
      if (e.rule !== undefined) return `order rejected: ${RULE_TEXT[e.rule] ?? e.rule.replace(/_/g, ' ')}`;
      return ctx.operation === undefined ? 'request rejected' : `${ctx.operation} rejected`;
    }
    case 'order_not_found':
      return 'order not found';
    case 'network':
      return ctx.url === undefined ? 'exchange unreachable' : `cannot reach ${ctx.url}`;
    case 'timeout':
      return ctx.url === undefined ? 'timed out' : `timed out reaching ${ctx.url}`;
    case 'rate_limit':
      return 'rate limited by the exchange';
    case 'unavailable':
      return 'exchange unavailable';
    case 'malformed_message':
      return 'unexpected answer from the exchange';
    default:
      return ctx.operation === undefined ? 'failed' : `${ctx.operation} failed`;
  }
}

/**
 * The error's own message without what the line already says: connectors prefix
 * messages with the exchange name and `code <n>`, which the line prints once.
 */
export function bareMessage(
  e: { readonly message: string; readonly exchange?: string; readonly exchangeCode?: string | number },
  exchange?: string,
): string {
  let m = e.message.trim();
  for (const name of [e.exchange, exchange]) {
    if (name !== undefined && name !== '' && m.toLowerCase().startsWith(`${name.toLowerCase()}: `))
      m = m.slice(name.length + 2);
  }
  if (e.exchangeCode !== undefined) {
    const prefix = `code ${String(e.exchangeCode)}: `;
    if (m.startsWith(prefix)) m = m.slice(prefix.length);
  }
  return m;
}

/** A system error code (`ECONNREFUSED`) anywhere in the cause chain, for network failures. */
export function systemCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code)) return code;
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const c = systemCode(inner);
        if (c !== undefined) return c;
      }
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The message of the innermost cause (`bad port`, `getaddrinfo ENOTFOUND`), when
 * short: the transport's own words say why a host is unreachable. URLs are cut
 * out, since a transport may quote a signed query string.
 */
export function rootCauseMessage(e: unknown): string | undefined {
  let cur: unknown = e;
  let last: string | undefined;
  for (let depth = 0; depth < 6 && typeof cur === 'object' && cur !== null; depth++) {
    const m = (cur as { message?: unknown }).message;
    if (typeof m === 'string' && m !== '') last = m;
    cur = (cur as { cause?: unknown }).cause;
  }
  if (last === undefined) return undefined;
  const clean = oneLine(last.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>'));
  return clean.length <= 120 ? clean : undefined;
}

/**
 * The one stderr line for any error: `hb: <exchange>: <what failed>: <code> <message>`.
 * Parts that are unknown are left out; the line never spans several lines.
 */
export function formatErrorLine(e: unknown, ctx: FailureContext = {}): string {
  let exchange: string | undefined;
  let what: string;
  let code: string | number | undefined;
  let detail: string;
  if (e instanceof CliError) {
    exchange = e.exchange ?? ctx.exchange;
    what = e.what;
    code = e.code;
    detail = e.message;
  } else if (isHbErrorLike(e)) {
    exchange = ctx.exchange ?? e.exchange;
    what = describeFailure(e, ctx);
    code = e.exchangeCode;
    detail = bareMessage(e, exchange);
    if (e.reason === 'network') {
      const why = systemCode(e.cause) ?? rootCauseMessage(e.cause);
      if (why !== undefined && !detail.includes(why)) detail = `${detail} (${why})`;
    }
  } else {
    exchange = ctx.exchange;
    what = ctx.operation === undefined ? 'unexpected error' : `${ctx.operation} failed`;
    detail = e instanceof Error ? e.message : String(e);
  }
  const tail = [code === undefined ? undefined : String(code), detail === '' ? undefined : detail]
    .filter((x): x is string => x !== undefined)
    .join(' ');
  const parts = ['hb', exchange, what, tail === '' ? undefined : tail].filter(
    (x): x is string => x !== undefined && x !== '',
  );
  return oneLine(parts.join(': '));
}

/** Collapses any line breaks so an error is always one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
