// Coinbase's error answers (coinbase-pro.md §2, §7 "Errors"): an HTTP status and a
// body `{"message": ...}`. Thrown inside the simulator, turned into the answer by
// the REST handler.

/** The messages the simulator sends, in one place so tests and docs agree. */
export const COINBASE_SIM_MSG = {
  notFound: 'NotFound',
  productNotFound: 'Product not found',
  insufficientFunds: 'Insufficient funds',
  invalidApiKey: 'Invalid API Key',
  invalidSignature: 'invalid signature',
  invalidPassphrase: 'Invalid Passphrase',
  timestampExpired: 'request timestamp expired',
  publicRateLimit: 'Public rate limit exceeded',
  privateRateLimit: 'Private rate limit exceeded',
  orderAlreadyDone: 'Order already done',
  cancelOnly: 'Cancel only mode',
  postOnlyMode: 'Post only mode',
  limitOnlyMode: 'Limit only mode',
  tradingDisabled: 'Trading pair not available',
  tooManyOpenOrders: 'Too many open orders',
  internal: 'Internal server error',
} as const;

/** An error answer: HTTP status and `message`. */
export class CoinbaseSimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'CoinbaseSimError';
  }

  /** The JSON body Coinbase sends. */
  get body(): { message: string } {
    return { message: this.message };
  }
}

/** 400 with `message`. */
export function badRequest(message: string): CoinbaseSimError {
  return new CoinbaseSimError(400, message);
}

/** 404 `{"message":"NotFound"}`. */
export function notFound(): CoinbaseSimError {
  return new CoinbaseSimError(404, COINBASE_SIM_MSG.notFound);
}
