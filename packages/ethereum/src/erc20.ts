import BigNumber from 'bignumber.js';
import { Contract, Interface, MaxUint256, getAddress, type Provider } from 'ethers';
import type { BalanceUpdate } from '@hb/core';
import { classifyRpcError } from './ethereum-errors.js';
import type { TransactionSender } from './transaction-sender.js';
import type { TrackedTransaction } from './transaction-tracker.js';

/** The ERC-20 functions and events hb uses. */
export const ERC20_ABI = [
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function totalSupply() view returns (uint256)',
  'function balanceOf(address owner) view returns (uint256)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function approve(address spender, uint256 amount) returns (bool)',
  'function transfer(address to, uint256 amount) returns (bool)',
  'function transferFrom(address from, address to, uint256 amount) returns (bool)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
] as const;

/** WETH9's own functions on top of ERC-20. */
export const WETH_ABI = [
  ...ERC20_ABI,
  'function deposit() payable',
  'function withdraw(uint256 wad)',
  'event Deposit(address indexed dst, uint256 wad)',
  'event Withdrawal(address indexed src, uint256 wad)',
] as const;

/** Base units <-> decimal amounts of a token with `decimals` places, exactly. */
export function toUnits(amount: BigNumber.Value, decimals: number): bigint {
  const v = new BigNumber(amount).shiftedBy(decimals);
  if (!v.isFinite() || v.isNegative() || !v.isInteger())
    throw new RangeError(
      `${new BigNumber(amount).toFixed()} is not a whole number of base units at ${decimals} decimals`,
    );
  return BigInt(v.toFixed(0));
}

/** A decimal amount from base units. */
export function fromUnits(units: bigint, decimals: number): BigNumber {
  return new BigNumber(units.toString()).shiftedBy(-decimals);
}

/** One ERC-20 token, read through a provider and written through a {@link TransactionSender}. */
export class Erc20Token {
  /** The token's address (checksummed). */
  readonly address: string;
  /** The ABI interface (to encode calls and decode logs). */
  readonly interface: Interface;
  protected readonly contract: Contract;
  private cachedDecimals: number | undefined;

  constructor(
    address: string,
    protected readonly provider: Provider,
    /** The asset's symbol as hb names it (`WETH`, `ZRX`). */
    readonly symbol: string,
    abi: readonly string[] = ERC20_ABI,
  ) {
    this.address = getAddress(address);
    this.interface = new Interface(abi);
    this.contract = new Contract(this.address, this.interface, provider);
  }

  /** Decimals (read once). */
  async decimals(): Promise<number> {
    if (this.cachedDecimals === undefined) this.cachedDecimals = Number(await this.read('decimals'));
    return this.cachedDecimals;
  }

  /** Balance of `owner`, base units. */
  balanceOf(owner: string): Promise<bigint> {
    return this.read('balanceOf', owner) as Promise<bigint>;
  }

  /** How much `spender` may move from `owner`, base units. */
  allowance(owner: string, spender: string): Promise<bigint> {
    return this.read('allowance', owner, spender) as Promise<bigint>;
  }

  /**
   * `owner`'s wallet balance and its allowance for `spender`, as core balance
   * updates (sources `wallet` and `allowance`), in decimal units.
   */
  async balanceUpdates(owner: string, spender: string, timestamp = Date.now()): Promise<BalanceUpdate[]> {
    const [decimals, balance, allowance] = await Promise.all([
      this.decimals(),
      this.balanceOf(owner),
      this.allowance(owner, spender),
    ]);
    const wallet = fromUnits(balance, decimals);
    const allowed = fromUnits(allowance, decimals);
    return [
      { asset: this.symbol, source: 'wallet', total: wallet, available: wallet, timestamp },
      { asset: this.symbol, source: 'allowance', total: allowed, available: allowed, timestamp },
    ];
  }

  /** Lets `spender` move `amount` (default: unlimited, as 0x relayer connectors do). */
  approve(
    sender: TransactionSender,
    spender: string,
    amount: bigint = MaxUint256,
  ): Promise<TrackedTransaction> {
    return sender.send({
      to: this.address,
      data: this.interface.encodeFunctionData('approve', [getAddress(spender), amount]),
    });
  }

  /** Sends `amount` base units to `to`. */
  transfer(sender: TransactionSender, to: string, amount: bigint): Promise<TrackedTransaction> {
    return sender.send({
      to: this.address,
      data: this.interface.encodeFunctionData('transfer', [getAddress(to), amount]),
    });
  }

  protected async read(method: string, ...args: unknown[]): Promise<unknown> {
    try {
      return await this.contract.getFunction(method).staticCall(...args);
    } catch (e) {
      throw classifyRpcError(e);
    }
  }
}

/** WETH9: ERC-20 wrapped ether, with `deposit` (wrap) and `withdraw` (unwrap). */
export class WethToken extends Erc20Token {
  constructor(address: string, provider: Provider, symbol = 'WETH') {
    super(address, provider, symbol, WETH_ABI);
  }

  /** Wraps `amount` wei of ETH into WETH. */
  wrap(sender: TransactionSender, amount: bigint): Promise<TrackedTransaction> {
    return sender.send({
      to: this.address,
      data: this.interface.encodeFunctionData('deposit', []),
      value: amount,
    });
  }

  /** Unwraps `amount` wei of WETH back into ETH. */
  unwrap(sender: TransactionSender, amount: bigint): Promise<TrackedTransaction> {
    return sender.send({ to: this.address, data: this.interface.encodeFunctionData('withdraw', [amount]) });
  }
}
