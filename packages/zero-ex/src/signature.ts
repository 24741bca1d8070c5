import {
  Signature,
  concat,
  dataLength,
  dataSlice,
  getAddress,
  getBytes,
  hashMessage,
  isHexString,
  recoverAddress,
  toBeHex,
  type Signer,
} from 'ethers';
import { EthereumWallet } from '@hb/ethereum';
import { hashOrder, typedDataDomain, typedDataMessage, typedDataTypes } from './eip712.js';
import { normalizeOrder, type SignedZeroExOrder, type ZeroExOrder, type ZeroExVersion } from './order.js';
import { ZeroExError } from './zero-ex-errors.js';

/** 0x signature types: the last byte of the signature. */
export const SignatureType = {
  Illegal: 0,
  Invalid: 1,
  EIP712: 2,
  EthSign: 3,
  Wallet: 4,
  Validator: 5,
  PreSigned: 6,
  EIP1271Wallet: 7,
} as const;

/** How an order is signed: EIP-712 over the order hash (`0x02`) or personal-sign over its 32 bytes (`0x03`). */
export type SignatureScheme = 'eip712' | 'ethSign';

/** Options of {@link signOrder}. */
export interface SignOrderOptions {
  readonly version: ZeroExVersion;
  /** EthSign is what Hummingbot's Radar and Bamboo connectors used. */
  readonly scheme: SignatureScheme;
}

/** What can sign: an @hb/ethereum wallet or any ethers signer (including a node's JSON-RPC signer). */
export type OrderSigner = EthereumWallet | Signer;

/** A signature split into its parts. */
export interface ParsedSignature {
  readonly type: number;
  readonly v: number;
  readonly r: string;
  readonly s: string;
}

/** Packs an ECDSA signature in 0x's layout: v(1) ‖ r(32) ‖ s(32) ‖ type(1). Accepts ethers' r ‖ s ‖ v too. */
export function packSignature(sig: Signature | string, scheme: SignatureScheme): string {
  const s = Signature.from(sig); // normalises v to 27 / 28 (a signer yielding 0 / 1 included)
  const type = scheme === 'eip712' ? SignatureType.EIP712 : SignatureType.EthSign;
  return concat([toBeHex(s.v, 1), s.r, s.s, toBeHex(type, 1)]).toLowerCase();
}

/**
 * Splits an EIP-712 or EthSign signature (66 bytes: v ‖ r ‖ s ‖ type). Other
 * types, other lengths and bad v → `ZeroExError('invalid_signature')`.
 */
export function parseSignature(signature: string): ParsedSignature {
  if (
    typeof signature !== 'string' ||
    !isHexString(signature) ||
    signature.length % 2 !== 0 ||
    signature === '0x'
  )
    throw new ZeroExError('invalid_signature', 'a signature must be non-empty hex bytes');
  const type = getBytes(signature).at(-1)!;
  if (type !== SignatureType.EIP712 && type !== SignatureType.EthSign)
    throw new ZeroExError(
      'invalid_signature',
      `signature type ${type} is not supported (only EIP712 = 2 and EthSign = 3 are checked off chain)`,
    );
  if (dataLength(signature) !== 66)
    throw new ZeroExError(
      'invalid_signature',
      `an ECDSA signature is 66 bytes, got ${dataLength(signature)}`,
    );
  const v = getBytes(signature)[0]!;
  if (v !== 27 && v !== 28)
    throw new ZeroExError('invalid_signature', `signature v must be 27 or 28, got ${v}`);
  return { type, v, r: dataSlice(signature, 1, 33), s: dataSlice(signature, 33, 65) };
}

/** Signs an order hash with a wallet or signer and returns the packed signature. */
export async function signOrderHash(
  orderHash: string,
  signer: OrderSigner,
  scheme: SignatureScheme,
): Promise<string> {
  if (!isHexString(orderHash, 32))
    throw new ZeroExError('invalid_order', `an order hash is 32 bytes, got ${orderHash}`);
  if (signer instanceof EthereumWallet) {
    return scheme === 'eip712'
      ? packSignature(signer.signDigest(orderHash), scheme)
      : packSignature(await signer.signMessage(getBytes(orderHash)), scheme);
  }
  if (scheme === 'ethSign') return packSignature(await signer.signMessage(getBytes(orderHash)), scheme);
  throw new ZeroExError(
    'not_supported',
    'an ethers Signer cannot sign a bare EIP-712 digest: use signOrder (typed data) or an EthereumWallet',
  );
}

/**
 * Signs an order: EIP-712 (`0x02`: the order hash signed as a digest; ethers
 * signers sign the typed data, which is the same digest) or EthSign (`0x03`:
 * personal-sign over the hash's 32 bytes, never its hex text). The signature is
 * packed v ‖ r ‖ s ‖ type, as the Exchange reads it, and checked to recover the
 * maker (a signer that is not the maker → `invalid_signature`).
 */
export async function signOrder(
  order: ZeroExOrder,
  signer: OrderSigner,
  options: SignOrderOptions,
): Promise<SignedZeroExOrder> {
  const o = normalizeOrder(order);
  const hash = hashOrder(o, options.version);
  let signature: string;
  if (options.scheme === 'eip712' && !(signer instanceof EthereumWallet)) {
    const raw = await signer.signTypedData(
      typedDataDomain(options.version, o.exchangeAddress, o.chainId),
      typedDataTypes(options.version),
      typedDataMessage(o, options.version),
    );
    signature = packSignature(raw, 'eip712');
  } else {
    signature = await signOrderHash(hash, signer, options.scheme);
  }
  // The signature field is not part of the order: a signed input does not carry its old one over.
  const signed: SignedZeroExOrder = { ...o, signature };
  const recovered = recoverHashSigner(hash, signature);
  if (recovered !== o.makerAddress)
    throw new ZeroExError(
      'invalid_signature',
      `the signer ${recovered} is not the order's maker ${o.makerAddress}`,
      { orderHash: hash },
    );
  return signed;
}

/** The address that signed `orderHash` with an EIP-712 or EthSign signature (checksummed). */
export function recoverHashSigner(orderHash: string, signature: string): string {
  const p = parseSignature(signature);
  const digest = p.type === SignatureType.EIP712 ? orderHash : hashMessage(getBytes(orderHash));
  try {
    return getAddress(recoverAddress(digest, { v: p.v, r: p.r, s: p.s }));
  } catch (e) {
    throw new ZeroExError('invalid_signature', `the signature does not recover to an address`, {
      cause: e,
      orderHash,
    });
  }
}

/** The address that signed a signed order (EIP-712 or EthSign); typed error for malformed signatures. */
export function recoverOrderSigner(signed: SignedZeroExOrder, version: ZeroExVersion): string {
  return recoverHashSigner(hashOrder(signed, version), signed.signature);
}

/**
 * True when the order's signature is a valid EIP-712 or EthSign signature by
 * its maker. False for anything else (another signer, malformed bytes, or a
 * contract-based type such as Wallet or PreSigned, which only the Exchange can
 * check: use `ZeroExExchange.isValidSignature`). Bad order fields still throw.
 */
export function verifyOrderSignature(signed: SignedZeroExOrder, version: ZeroExVersion): boolean {
  const hash = hashOrder(signed, version);
  try {
    return recoverHashSigner(hash, signed.signature) === getAddress(signed.makerAddress);
  } catch (e) {
    if (e instanceof ZeroExError && e.kind === 'invalid_signature') return false;
    throw e;
  }
}
