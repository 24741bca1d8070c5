import type { Provider, TransactionRequest } from 'ethers';
import { EthereumError, RevertDecoder, classifyRpcError, isEthereumError } from './ethereum-errors.js';
import type { EthereumWallet } from './ethereum-wallet.js';
import { GasOracle } from './gas.js';
import type { NonceManager } from './nonce-manager.js';
import type { TrackedTransaction, TransactionTracker } from './transaction-tracker.js';

/** A transaction to send: a contract call or a transfer. */
export interface TransactionCall {
  readonly to: string;
  /** Calldata (0x-hex). */
  readonly data?: string;
  /** Wei sent along. */
  readonly value?: bigint;
  /** Gas limit; estimated (with the oracle's margin) when absent. */
  readonly gasLimit?: bigint;
  /** Confirmations this transaction needs (default: the tracker's). */
  readonly confirmations?: number;
}

/** Kinds proving the node refused a transaction before it could be mined: its nonce is free again. */
const NOT_BROADCAST: ReadonlySet<string> = new Set([
  'insufficient_funds_for_gas',
  'reverted',
  'gas_price_above_cap',
  'replacement_underpriced',
]);

/** What {@link TransactionSender} is built from. */
export interface TransactionSenderOptions {
  readonly wallet: EthereumWallet;
  readonly provider: Provider;
  readonly chainId: number;
  readonly nonces: NonceManager;
  readonly tracker: TransactionTracker;
  readonly gas?: GasOracle;
  /** Decodes revert reasons of simulated calls (add the venue's custom errors). */
  readonly decoder?: RevertDecoder;
}

/**
 * Sends transactions from one wallet: simulates them (a revert fails here,
 * with its reason, before a nonce or gas is spent), sets the gas limit and
 * fees within the caps, takes the next nonce (serialised per address, saved
 * before use), signs, broadcasts and hands the transaction to the tracker.
 * A "nonce too low" answer (another tool used the nonce) is retried once above it.
 */
export class TransactionSender {
  private readonly gas: GasOracle;
  private readonly decoder: RevertDecoder;

  constructor(private readonly options: TransactionSenderOptions) {
    this.decoder = options.decoder ?? new RevertDecoder();
    this.gas = options.gas ?? new GasOracle(options.provider, {}, this.decoder);
  }

  /** The sending address. */
  get address(): string {
    return this.options.wallet.address;
  }

  /** Sends `call`; resolves once the node accepted it, with its tracker entry. */
  async send(call: TransactionCall): Promise<TrackedTransaction> {
    try {
      return await this.sendOnce(call);
    } catch (e) {
      if (!isEthereumError(e, 'nonce_too_low')) throw e;
      return this.sendOnce(call);
    }
  }

  private async sendOnce(call: TransactionCall): Promise<TrackedTransaction> {
    const { wallet, provider, nonces, tracker, chainId } = this.options;
    const request: TransactionRequest = {
      to: call.to,
      ...(call.data !== undefined ? { data: call.data } : {}),
      ...(call.value !== undefined ? { value: call.value } : {}),
    };
    // Simulated first, outside the nonce lock: a revert costs nothing and holds nobody up.
    const gasLimit = call.gasLimit ?? (await this.gas.gasLimit({ ...request, from: wallet.address }));
    const fees = await this.gas.fees();
    return nonces.withNonce(
      wallet.address,
      async (nonce) => {
        const raw = await wallet.signTransaction({ ...request, ...fees, gasLimit, nonce, chainId });
        let hash: string;
        try {
          hash = (await provider.broadcastTransaction(raw)).hash;
        } catch (e) {
          const error = classifyRpcError(e, this.decoder);
          if (error.kind === 'nonce_too_low') await nonces.noteUsed(wallet.address, nonce);
          throw error;
        }
        return tracker.track({
          hash,
          from: wallet.address,
          nonce,
          request: { ...request, gasLimit },
          ...(call.confirmations !== undefined ? { confirmations: call.confirmations } : {}),
        });
      },
      {
        // Refused before it could be mined: the nonce is free again (no gap for later transactions).
        releaseOnError: (e) => e instanceof EthereumError && NOT_BROADCAST.has(e.kind),
      },
    );
  }
}
