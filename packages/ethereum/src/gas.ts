import type { Provider, TransactionRequest } from 'ethers';
import { EthereumError, RevertDecoder, classifyRpcError } from './ethereum-errors.js';

/** Fee fields of a transaction: EIP-1559 where the chain has a base fee, legacy otherwise. */
export type GasFees =
  | { readonly type: 2; readonly maxFeePerGas: bigint; readonly maxPriorityFeePerGas: bigint }
  | { readonly type: 0; readonly gasPrice: bigint };

/** Limits on what a transaction may cost. */
export interface GasSettings {
  /** Never pay more than this per gas (wei); a higher market price is an error, not a silent overpay. */
  readonly maxFeePerGasCap?: bigint;
  /** Tip per gas (wei) for EIP-1559 chains. Default: the node's suggestion. */
  readonly priorityFeePerGas?: bigint;
  /** Gas limit = estimate × this / 100. Default 125 (estimates run short on some nodes). */
  readonly gasLimitPercent?: number;
  /** No transaction is sent with a gas limit above this. Default 3,000,000. */
  readonly maxGasLimit?: bigint;
}

/** Gas prices and limits for transactions, within the caps the user set. */
export class GasOracle {
  private readonly settings: Required<Omit<GasSettings, 'maxFeePerGasCap' | 'priorityFeePerGas'>> &
    Pick<GasSettings, 'maxFeePerGasCap' | 'priorityFeePerGas'>;

  constructor(
    private readonly provider: Provider,
    settings: GasSettings = {},
    private readonly decoder = new RevertDecoder(),
  ) {
    this.settings = {
      gasLimitPercent: settings.gasLimitPercent ?? 125,
      maxGasLimit: settings.maxGasLimit ?? 3_000_000n,
      ...(settings.maxFeePerGasCap !== undefined ? { maxFeePerGasCap: settings.maxFeePerGasCap } : {}),
      ...(settings.priorityFeePerGas !== undefined ? { priorityFeePerGas: settings.priorityFeePerGas } : {}),
    };
  }

  /** The fee fields for a transaction now; above `maxFeePerGasCap` throws `gas_price_above_cap`. */
  async fees(): Promise<GasFees> {
    let data;
    try {
      data = await this.provider.getFeeData();
    } catch (e) {
      throw classifyRpcError(e);
    }
    const cap = this.settings.maxFeePerGasCap;
    if (data.maxFeePerGas !== null && data.maxPriorityFeePerGas !== null) {
      const tip = this.settings.priorityFeePerGas ?? data.maxPriorityFeePerGas;
      let maxFee = data.maxFeePerGas > tip ? data.maxFeePerGas : tip;
      if (cap !== undefined && maxFee > cap) {
        // The base fee share must still fit under the cap; above it the transaction could never be mined.
        const base = data.maxFeePerGas - data.maxPriorityFeePerGas;
        if (base + tip > cap) throw this.overCap(base + tip, cap);
        maxFee = cap;
      }
      return { type: 2, maxFeePerGas: maxFee, maxPriorityFeePerGas: tip };
    }
    const price = data.gasPrice ?? 0n;
    if (cap !== undefined && price > cap) throw this.overCap(price, cap);
    return { type: 0, gasPrice: price };
  }

  /**
   * A gas limit for `tx`: the node's estimate with the margin, capped. A
   * transaction that would revert fails here with its decoded reason, before
   * any nonce or gas is spent.
   */
  async gasLimit(tx: TransactionRequest): Promise<bigint> {
    let estimate: bigint;
    try {
      estimate = await this.provider.estimateGas(tx);
    } catch (e) {
      throw classifyRpcError(e, this.decoder);
    }
    const limit = (estimate * BigInt(this.settings.gasLimitPercent)) / 100n;
    if (estimate > this.settings.maxGasLimit) {
      throw new EthereumError(
        'reverted',
        `the transaction needs ${estimate} gas, above the ${this.settings.maxGasLimit} limit`,
        { retryable: false },
      );
    }
    return limit > this.settings.maxGasLimit ? this.settings.maxGasLimit : limit;
  }

  /** Wei a transaction may cost at most: gas limit × the fee per gas. */
  static maxCost(gasLimit: bigint, fees: GasFees): bigint {
    return gasLimit * (fees.type === 2 ? fees.maxFeePerGas : fees.gasPrice);
  }

  private overCap(price: bigint, cap: bigint): EthereumError {
    return new EthereumError('gas_price_above_cap', `gas price ${price} wei is above the cap of ${cap} wei`, {
      retryable: true,
    });
  }
}
