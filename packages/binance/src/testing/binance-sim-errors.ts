// Binance's error answers as the simulator sends them: one class carrying the HTTP
// status, the (negative) code and the exact message text of the real exchange
// (shared/exchanges/binance.md §7 "Notable errors"), so REST and the WebSocket API
// render the same refusal the same way.

/**
 * A refusal in Binance's own terms. Thrown anywhere inside a request handler and
 * turned into `{code, msg}` (REST) or `{id, status, error: {code, msg}}` (WS API).
 */
export class BinanceSimError extends Error {
  /** Binance's error code (negative). */
  readonly code: number;
  /** HTTP status of the answer (400 for most caller errors). */
  readonly status: number;
  /** Extra response headers (Retry-After on 429/418). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: number, msg: string, status = 400, headers: Readonly<Record<string, string>> = {}) {
    super(msg);
    this.name = 'BinanceSimError';
    this.code = code;
    this.status = status;
    this.headers = headers;
  }

  /** The JSON body Binance sends. */
  get body(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

/** `-1102`: a mandatory parameter is missing or unparsable. */
export function mandatoryParam(name: string): BinanceSimError {
  return new BinanceSimError(
    -1102,
    `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
  );
}

/** `-1106`: a parameter was sent that this order type does not take. */
export function paramNotRequired(name: string): BinanceSimError {
  return new BinanceSimError(-1106, `Parameter '${name}' sent when not required.`);
}

/** `-1100`: a parameter has characters outside its allowed pattern. */
export function illegalChars(name: string, legal: string): BinanceSimError {
  return new BinanceSimError(
    -1100,
    `Illegal characters found in parameter '${name}'; legal range is '${legal}'.`,
  );
}

/** `-1111`: more decimals than the asset precision. */
export function tooMuchPrecision(name: string): BinanceSimError {
  return new BinanceSimError(-1111, `Parameter '${name}' has too much precision.`);
}

/** `-1013`: a symbol filter refused the order. */
export function filterFailure(filter: string): BinanceSimError {
  return new BinanceSimError(-1013, `Filter failure: ${filter}`);
}

/** `-1121`: unknown symbol. */
export function invalidSymbol(): BinanceSimError {
  return new BinanceSimError(-1121, 'Invalid symbol.');
}

/** Exact texts of the errors the simulator sends, by name. */
export const BINANCE_SIM_MSG = {
  insufficientBalance: 'Account has insufficient balance for requested action.',
  wouldTake: 'Order would immediately match and take.',
  duplicateOrder: 'Duplicate order sent.',
  unknownOrder: 'Unknown order sent.',
  noSuchOrder: 'Order does not exist.',
  badSignature: 'Signature for this request is not valid.',
  badApiKey: 'Invalid API-key, IP, or permissions for action.',
  apiKeyFormat: 'API-key format invalid.',
  timestampAhead: "Timestamp for this request was 1000ms ahead of the server's time.",
  timestampOutside: 'Timestamp for this request is outside of the recvWindow.',
  internal: 'Internal error; unable to process your request. Please try again.',
  unsupported: 'This operation is not supported.',
} as const;

/** `-2010` NEW_ORDER_REJECTED with one of its documented messages. */
export function newOrderRejected(msg: string): BinanceSimError {
  return new BinanceSimError(-2010, msg);
}

/** `-2011` CANCEL_REJECTED "Unknown order sent.". */
export function unknownOrder(): BinanceSimError {
  return new BinanceSimError(-2011, BINANCE_SIM_MSG.unknownOrder);
}

/** `-2013` NO_SUCH_ORDER "Order does not exist.". */
export function noSuchOrder(): BinanceSimError {
  return new BinanceSimError(-2013, BINANCE_SIM_MSG.noSuchOrder);
}
