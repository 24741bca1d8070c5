import { HbError, type ErrorReason } from '@hb/core';
import { AbiCoder, Interface, dataSlice, type ErrorFragment } from 'ethers';

/** What went wrong on chain, more precisely than core's reasons. */
export type EthereumErrorKind =
  /** The account cannot pay value + gas limit × gas price. */
  | 'insufficient_funds_for_gas'
  /** The nonce was used already (by us before a restart, or by another tool). */
  | 'nonce_too_low'
  /** A transaction with the same nonce is pending and this one does not pay enough more to replace it. */
  | 'replacement_underpriced'
  /** The transaction (or the call simulating it) reverted; `revert` says why when the contract said. */
  | 'reverted'
  /** Another transaction with the same nonce was mined instead. */
  | 'replaced'
  /** The node forgot the transaction before it was mined. */
  | 'dropped'
  /** The node did not answer, or answered with a server error. */
  | 'rpc_unavailable'
  /** The node serves another chain than the one configured. */
  | 'chain_mismatch'
  /** The market's gas price is above the cap the user set (`GasSettings.maxFeePerGasCap`). */
  | 'gas_price_above_cap'
  /** A wait ran out of time. */
  | 'timeout'
  /** The private key is not a valid secp256k1 key. */
  | 'invalid_key';

const REASON: Readonly<Record<EthereumErrorKind, ErrorReason>> = {
  insufficient_funds_for_gas: 'insufficient_funds',
  nonce_too_low: 'invalid_order',
  replacement_underpriced: 'invalid_order',
  reverted: 'invalid_order',
  replaced: 'invalid_order',
  dropped: 'unavailable',
  rpc_unavailable: 'unavailable',
  chain_mismatch: 'authentication',
  gas_price_above_cap: 'unavailable',
  timeout: 'timeout',
  invalid_key: 'authentication',
};

/** A contract's revert, decoded. */
export interface DecodedRevert {
  /** `Error` (a require message), `Panic`, or the custom error's name (`OrderStatusError`). */
  readonly name: string;
  /** The error's arguments. */
  readonly args: readonly unknown[];
  /** One line for people: `Error("SafeMath: subtraction overflow")`, `OrderStatusError(0x…, 6)`. */
  readonly reason: string;
  /** The raw revert data. */
  readonly data: string;
}

/** Options of {@link EthereumError}. */
export interface EthereumErrorOptions {
  readonly cause?: unknown;
  /** The transaction concerned. */
  readonly txHash?: string;
  /** The decoded revert, for `reverted`. */
  readonly revert?: DecodedRevert;
  /** Overrides the default retryability. */
  readonly retryable?: boolean;
}

/** The typed error of every @hb/ethereum operation: an {@link HbError} with an Ethereum `kind`. */
export class EthereumError extends HbError {
  /** What went wrong on chain. */
  readonly kind: EthereumErrorKind;
  /** The transaction concerned, when there is one. */
  readonly txHash: string | undefined;
  /** The decoded revert, for `reverted` when the contract gave a reason. */
  readonly revert: DecodedRevert | undefined;

  constructor(kind: EthereumErrorKind, message: string, options: EthereumErrorOptions = {}) {
    super(REASON[kind], message, {
      exchange: 'ethereum',
      cause: options.cause,
      ...(options.retryable !== undefined ? { retryable: options.retryable } : {}),
    });
    this.name = 'EthereumError';
    this.kind = kind;
    this.txHash = options.txHash;
    this.revert = options.revert;
  }
}

/** True for an {@link EthereumError}, optionally of one kind. */
export function isEthereumError(e: unknown, kind?: EthereumErrorKind): e is EthereumError {
  return e instanceof EthereumError && (kind === undefined || e.kind === kind);
}

const ERROR_STRING = new Interface(['error Error(string message)', 'error Panic(uint256 code)']);

/**
 * Decodes revert data: Solidity's `Error(string)` and `Panic(uint256)`, and the
 * custom errors of the given ABIs (0x v3's rich errors are not in the Exchange
 * ABI; pass their declarations, e.g. `error OrderStatusError(bytes32,uint8)`).
 */
export class RevertDecoder {
  private readonly interfaces: Interface[];

  /** @param errors custom error declarations or ABIs whose errors to recognise */
  constructor(errors: readonly (string | ErrorFragment | Interface)[] = []) {
    const fragments = errors.filter((e): e is string | ErrorFragment => !(e instanceof Interface));
    this.interfaces = [
      ERROR_STRING,
      ...errors.filter((e): e is Interface => e instanceof Interface),
      ...(fragments.length > 0 ? [new Interface(fragments)] : []),
    ];
  }

  /** The decoded revert, or undefined for empty or unknown data (the raw data then stays on the error). */
  decode(data: string | undefined): DecodedRevert | undefined {
    if (data === undefined || data === '0x' || data.length < 10) return undefined;
    for (const iface of this.interfaces) {
      let parsed: ReturnType<Interface['parseError']>;
      try {
        parsed = iface.parseError(data);
      } catch {
        continue;
      }
      if (!parsed) continue;
      const args = [...parsed.args].map(plain);
      const shown = args.map((a) =>
        typeof a === 'string' && parsed!.name === 'Error' ? JSON.stringify(a) : String(a),
      );
      return { name: parsed.name, args, reason: `${parsed.name}(${shown.join(', ')})`, data };
    }
    return undefined;
  }

  /** A one-line description of revert data, decoded where possible. */
  describe(data: string | undefined): string {
    const d = this.decode(data);
    if (d) return d.reason;
    if (data === undefined || data === '0x') return 'reverted without a reason';
    return `reverted with unknown data ${dataSlice(data, 0, Math.min(36, (data.length - 2) / 2))}…`;
  }
}

/** ABI results as plain values (bigints stay bigints; nested Results become arrays). */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Revert data carried by an ethers or node error, when there is any. */
export function revertDataOf(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const r = cur as { data?: unknown; error?: unknown; info?: { error?: unknown }; cause?: unknown };
    if (typeof r.data === 'string' && r.data.startsWith('0x')) return r.data;
    if (r.data && typeof r.data === 'object') {
      const inner = (r.data as { data?: unknown }).data;
      if (typeof inner === 'string' && inner.startsWith('0x')) return inner;
    }
    cur = r.error ?? r.info?.error ?? r.cause;
  }
  return undefined;
}

/** The messages of an error and its causes, joined (nodes put the useful text deep inside). */
function messages(e: unknown): string {
  const out: string[] = [];
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const r = cur as {
      message?: unknown;
      shortMessage?: unknown;
      error?: unknown;
      info?: { error?: unknown };
      cause?: unknown;
    };
    if (typeof r.message === 'string') out.push(r.message);
    if (typeof r.shortMessage === 'string') out.push(r.shortMessage);
    cur = r.error ?? r.info?.error ?? r.cause;
  }
  return out.join(' | ');
}

/**
 * Classifies what a node or ethers threw into an {@link EthereumError}: the
 * kinds a caller must handle differently (fund the account, resync the nonce,
 * bump the gas price, read the revert reason, retry later).
 */
export function classifyRpcError(e: unknown, decoder = new RevertDecoder(), txHash?: string): EthereumError {
  if (e instanceof EthereumError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const text = messages(e);
  const opts = { cause: e, ...(txHash !== undefined ? { txHash } : {}) };
  if (
    code === 'INSUFFICIENT_FUNDS' ||
    /insufficient funds|doesn't have enough funds|not enough funds/i.test(text)
  )
    return new EthereumError('insufficient_funds_for_gas', 'the account cannot pay for value and gas', opts);
  if (code === 'NONCE_EXPIRED' || /nonce (is )?too low|nonce has already been used|already known/i.test(text))
    return new EthereumError('nonce_too_low', `nonce already used: ${firstLine(text)}`, opts);
  if (code === 'REPLACEMENT_UNDERPRICED' || /replacement (transaction )?underpriced/i.test(text))
    return new EthereumError(
      'replacement_underpriced',
      'a pending transaction with this nonce pays more',
      opts,
    );
  if (code === 'CALL_EXCEPTION' || /revert/i.test(text)) {
    const data = revertDataOf(e);
    const revert = decoder.decode(data);
    return new EthereumError(
      'reverted',
      `transaction reverted: ${revert?.reason ?? decoder.describe(data)}`,
      {
        ...opts,
        ...(revert ? { revert } : {}),
        retryable: false,
      },
    );
  }
  if (code === 'TIMEOUT') return new EthereumError('timeout', `the node did not answer in time`, opts);
  if (
    code === 'NETWORK_ERROR' ||
    code === 'SERVER_ERROR' ||
    /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|ENOTFOUND|local chain stopped/i.test(text)
  )
    return new EthereumError('rpc_unavailable', `the Ethereum node is unavailable: ${firstLine(text)}`, opts);
  return new EthereumError('rpc_unavailable', `the Ethereum node refused the request: ${firstLine(text)}`, {
    ...opts,
    retryable: false,
  });
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

/** ABI-encodes `Error(string)` revert data (for tests and simulators). */
export function encodeErrorString(message: string): string {
  return `0x08c379a0${AbiCoder.defaultAbiCoder().encode(['string'], [message]).slice(2)}`;
}
