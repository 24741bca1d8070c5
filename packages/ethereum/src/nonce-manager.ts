import { MemoryNonceStore, NonceSource, type NonceStore, type WithNonceOptions } from '@hb/core';
import type { Provider } from 'ethers';
import { classifyRpcError } from './ethereum-errors.js';

/** Options of {@link NonceManager}. */
export interface NonceManagerOptions {
  /** Chain id, part of each key (one address has separate nonces per chain). */
  readonly chainId: number;
  /** Where the last nonce per address is saved (core's `FileNonceStore` survives a restart). Default: memory. */
  readonly store?: NonceStore;
}

/**
 * Transaction nonces per address, on core's {@link NonceSource}: strictly
 * increasing, one holder per address at a time (transactions are signed and
 * broadcast in nonce order), saved before use so a restart continues above
 * them, and never below the node's pending count (transactions sent by another
 * tool move it up). A nonce is handed out again only when the caller proves
 * its transaction never reached the node, so no gap blocks the account.
 */
export class NonceManager {
  private readonly source: NonceSource;

  constructor(
    private readonly provider: Provider,
    private readonly options: NonceManagerOptions,
  ) {
    this.source = new NonceSource({
      store: options.store ?? new MemoryNonceStore(),
      floor: async (key) => {
        const address = key.slice(key.indexOf(':') + 1);
        try {
          return BigInt(await this.provider.getTransactionCount(address, 'pending'));
        } catch (e) {
          throw classifyRpcError(e);
        }
      },
    });
  }

  /** Runs `use` holding the next nonce of `address`; the next caller waits until `use` settles. */
  withNonce<T>(
    address: string,
    use: (nonce: number) => Promise<T>,
    options: WithNonceOptions = {},
  ): Promise<T> {
    return this.source.withNonce(this.key(address), (n) => use(Number(n)), options);
  }

  /** Notes that the node has seen `nonce` of `address` (a "nonce too low" answer): the next one is above it. */
  noteUsed(address: string, nonce: number): Promise<void> {
    return this.source.noteUsed(this.key(address), BigInt(nonce));
  }

  /** The last nonce handed out for `address` (from the store after a restart). */
  async lastNonce(address: string): Promise<number | undefined> {
    const n = await this.source.peekLast(this.key(address));
    return n === undefined ? undefined : Number(n);
  }

  private key(address: string): string {
    return `${this.options.chainId}:${address.toLowerCase()}`;
  }
}
