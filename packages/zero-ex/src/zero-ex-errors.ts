import { HbError, type ErrorReason } from '@hb/core';
import type { DecodedRevert } from '@hb/ethereum';

/** What went wrong with a 0x order or call, more precisely than core's reasons. */
export type ZeroExErrorKind =
  /** An order field is missing, of the wrong type or out of range (bad input, never sent). */
  | 'invalid_order'
  /** Asset data that is not well-formed (or not ERC-20 where ERC-20 is required). */
  | 'invalid_asset_data'
  /** A signature that is malformed, of an unsupported type, or not the maker's. */
  | 'invalid_signature'
  /** The order's expiration time has passed (the Exchange says EXPIRED). */
  | 'order_expired'
  /** The order has been filled completely. */
  | 'order_filled'
  /** The order was cancelled (by the maker, or by `cancelOrdersUpTo`). */
  | 'order_cancelled'
  /** The Exchange calls the order unfillable for another reason (zero amounts, bad status). */
  | 'order_unfillable'
  /** The maker or the taker lacks the tokens (wallet balance) the fill moves. */
  | 'unfunded'
  /** The maker or the taker has not approved the ERC20Proxy for enough. */
  | 'allowance_missing'
  /** A fill-or-kill or market fill could not fill the full amount. */
  | 'incomplete_fill'
  /** The caller may not fill or cancel this order (taker, sender or maker mismatch). */
  | 'not_allowed'
  /** The fill's price rounding error is above 0.1%, or the amount is invalid. */
  | 'invalid_fill_amount'
  /** The Exchange reverted for another reason (the decoded revert is attached). */
  | 'reverted'
  /** The relayer refused a request (SRA validation error). */
  | 'relayer_rejected'
  /** The relayer does not know the order (404). */
  | 'order_not_found'
  /** The relayer or a JSON document sent something that is not SRA JSON. */
  | 'malformed_json'
  /** The operation does not exist in this protocol version. */
  | 'not_supported';

const REASON: Readonly<Record<ZeroExErrorKind, ErrorReason>> = {
  invalid_order: 'invalid_order',
  invalid_asset_data: 'invalid_order',
  invalid_signature: 'invalid_order',
  order_expired: 'invalid_order',
  order_filled: 'invalid_order',
  order_cancelled: 'invalid_order',
  order_unfillable: 'invalid_order',
  unfunded: 'insufficient_funds',
  allowance_missing: 'insufficient_funds',
  incomplete_fill: 'invalid_order',
  not_allowed: 'invalid_order',
  invalid_fill_amount: 'invalid_order',
  reverted: 'invalid_order',
  relayer_rejected: 'invalid_order',
  order_not_found: 'order_not_found',
  malformed_json: 'malformed_message',
  not_supported: 'invalid_order',
};

/** Options of {@link ZeroExError}. */
export interface ZeroExErrorOptions {
  readonly cause?: unknown;
  /** The order concerned (its EIP-712 hash). */
  readonly orderHash?: string;
  /** The Exchange's revert, decoded, when the error came from one. */
  readonly revert?: DecodedRevert;
  /** For `unfunded` / `allowance_missing`: whose tokens are short. */
  readonly party?: 'maker' | 'taker';
  /** The token (address) that is short, for `unfunded` / `allowance_missing`. */
  readonly token?: string;
  /** HTTP status, for relayer answers. */
  readonly httpStatus?: number;
  /** The relayer's or the Exchange's own code. */
  readonly exchangeCode?: string | number;
  /** Overrides the default retryability. */
  readonly retryable?: boolean;
}

/**
 * The typed error of every @hb/zero-ex operation: an {@link HbError} (so core
 * and the CLI handle it like any other) with a 0x `kind`. Errors of the chain
 * itself (gas, nonces, node away) stay `EthereumError`s from @hb/ethereum.
 */
export class ZeroExError extends HbError {
  /** What went wrong. */
  readonly kind: ZeroExErrorKind;
  /** The order concerned, when one is. */
  readonly orderHash: string | undefined;
  /** The decoded revert, when the Exchange reverted. */
  readonly revert: DecodedRevert | undefined;
  /** Whose funds are short (`unfunded`, `allowance_missing`). */
  readonly party: 'maker' | 'taker' | undefined;
  /** Which token is short (`unfunded`, `allowance_missing`). */
  readonly token: string | undefined;

  constructor(kind: ZeroExErrorKind, message: string, options: ZeroExErrorOptions = {}) {
    super(REASON[kind], message, {
      exchange: 'zero-ex',
      cause: options.cause,
      ...(options.httpStatus !== undefined ? { httpStatus: options.httpStatus } : {}),
      ...(options.exchangeCode !== undefined ? { exchangeCode: options.exchangeCode } : {}),
      ...(options.retryable !== undefined ? { retryable: options.retryable } : {}),
    });
    this.name = 'ZeroExError';
    this.kind = kind;
    this.orderHash = options.orderHash;
    this.revert = options.revert;
    this.party = options.party;
    this.token = options.token;
  }

  /** Plain object for logs and JSON output. */
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      kind: this.kind,
      orderHash: this.orderHash,
      revert: this.revert?.reason,
      party: this.party,
      token: this.token,
    };
  }
}

/** True for a {@link ZeroExError}, optionally of one kind. */
export function isZeroExError(e: unknown, kind?: ZeroExErrorKind): e is ZeroExError {
  return e instanceof ZeroExError && (kind === undefined || e.kind === kind);
}
