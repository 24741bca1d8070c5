import { SECRET_MASK, Secret } from '@hb/core';
import {
  Signature,
  Wallet,
  getBytes,
  type TransactionRequest,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';
import { EthereumError } from './ethereum-errors.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * An Ethereum account from a private key that cannot be printed: the key (and
 * ethers' own `Wallet`, whose `privateKey` is a plain property) live in an
 * ECMAScript private field; `util.inspect`, `JSON.stringify`, `String()` and
 * template literals show only the address. It signs; it never reveals.
 */
export class EthereumWallet {
  /** The account's checksummed address. */
  readonly address: string;
  readonly #wallet: Wallet;

  /** @param privateKey 32-byte hex key, as a string or a core `Secret`. A bad key throws `invalid_key` (the message never contains it). */
  constructor(privateKey: string | Secret) {
    const key = privateKey instanceof Secret ? privateKey.reveal() : privateKey;
    let wallet: Wallet;
    try {
      wallet = new Wallet(key.startsWith('0x') ? key : `0x${key}`);
    } catch {
      // ethers' message would quote the key.
      throw new EthereumError('invalid_key', 'the private key is not a valid 32-byte secp256k1 key');
    }
    this.#wallet = wallet;
    this.address = wallet.address;
  }

  /** Signs a 32-byte digest as is (0x v3 EIP-712 order signatures sign the order hash this way). */
  signDigest(digest: string): Signature {
    return Signature.from(this.#wallet.signingKey.sign(digest));
  }

  /**
   * Personal-signs bytes (`\x19Ethereum Signed Message:\n<len>` prefix). Pass
   * bytes or a 0x-hex string of bytes: a hex string is signed as the bytes it
   * encodes, never as its text (0x EthSign signatures need the 32 hash bytes).
   */
  signMessage(message: Uint8Array | string): Promise<string> {
    const bytes = typeof message === 'string' ? getBytes(message) : message;
    return this.#wallet.signMessage(bytes);
  }

  /** Signs EIP-712 typed data (leave `EIP712Domain` out of `types`). */
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string> {
    return this.#wallet.signTypedData(domain, types, value);
  }

  /** Signs a fully populated transaction (nonce, gas, fees, chain id) and returns the raw bytes to broadcast. */
  signTransaction(tx: TransactionRequest): Promise<string> {
    return this.#wallet.signTransaction({ ...tx, from: this.address });
  }

  /** The address and a mask. */
  toString(): string {
    return `EthereumWallet(${this.address}, key ${SECRET_MASK})`;
  }

  /** The address only. */
  toJSON(): { address: string } {
    return { address: this.address };
  }

  /** The address and a mask, for `util.inspect` and `console.log`. */
  [INSPECT](): string {
    return this.toString();
  }
}
