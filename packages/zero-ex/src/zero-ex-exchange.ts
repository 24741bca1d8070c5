import { Contract, Interface, getAddress, type Provider, type TransactionReceipt } from 'ethers';
import {
  ERC20_ABI,
  EthereumError,
  GasOracle,
  isEthereumError,
  revertDataOf,
  type TrackedTransaction,
  type TransactionSender,
  type TransactionStatus,
} from '@hb/ethereum';
import { AssetProxyId, decodeAssetData } from './asset-data.js';
import { hashOrder } from './eip712.js';
import {
  decodeExchangeEvents,
  type ZeroExCancelEvent,
  type ZeroExCancelUpToEvent,
  type ZeroExFillEvent,
} from './events.js';
import { EXCHANGE_INTERFACE } from './exchange-abi.js';
import {
  NULL_ADDRESS,
  normalizeOrder,
  orderStatusName,
  type OrderStatusName,
  type SignedZeroExOrder,
  type ZeroExOrder,
  type ZeroExVersion,
} from './order.js';
import { ZERO_EX_REVERT_DECODER, zeroExErrorFromRevert } from './revert-errors.js';
import { ZeroExError } from './zero-ex-errors.js';

/** What the Exchange says about an order. */
export interface ZeroExOrderInfo {
  /** The status number (see `OrderStatus`). */
  readonly orderStatus: number;
  /** Its name: `FILLABLE`, `EXPIRED`, `FULLY_FILLED`, `CANCELLED`, ... */
  readonly orderStatusName: OrderStatusName;
  /** The hash the contract computed (lower case). */
  readonly orderHash: string;
  /** Taker asset filled so far, base units. */
  readonly orderTakerAssetFilledAmount: bigint;
}

/** Options of {@link ZeroExExchange}. */
export interface ZeroExExchangeOptions {
  readonly version: ZeroExVersion;
  /** The Exchange contract. */
  readonly address: string;
  readonly provider: Provider;
  /** Sends fills and cancels; reads need none. Give its decoder `ZERO_EX_REVERT_DECODER`. */
  readonly sender?: TransactionSender;
  /** Gas prices for the v3 protocol fee (default: a `GasOracle` on the provider; pass the sender's). */
  readonly gas?: GasOracle;
}

/** Options of a fill. */
export interface FillOptions {
  /**
   * v3: ETH sent for the protocol fee. Default: multiplier × the current max
   * fee per gas × orders (an upper bound: the Exchange refunds what is not used).
   */
  readonly protocolFeeValue?: bigint;
  /** Gas limit (default: the sender's estimate with margin). */
  readonly gasLimit?: bigint;
  /** Confirmations to wait for (default: the tracker's). */
  readonly confirmations?: number;
}

/** Options of a cancel. */
export interface CancelOptions {
  readonly gasLimit?: bigint;
  readonly confirmations?: number;
}

/** What a mined Exchange transaction did. */
export interface ZeroExTransactionOutcome {
  readonly status: TransactionStatus;
  readonly receipt: TransactionReceipt;
  readonly fills: readonly ZeroExFillEvent[];
  readonly cancels: readonly ZeroExCancelEvent[];
  readonly cancelUpTos: readonly ZeroExCancelUpToEvent[];
  /** Gas used × effective gas price, wei. */
  readonly gasFee: bigint;
  /** Sum of the fills' protocol fees (v3), wei. */
  readonly protocolFeePaid: bigint;
}

/** One order's share of a fill, used to tell an unfunded party from a missing allowance. */
interface FillShare {
  readonly order: ZeroExOrder;
  /** Taker asset this fill moves for the order (an upper bound for market fills). */
  readonly takerAmount: bigint;
}

/**
 * The 0x Exchange (v2.1 or v3) for one wallet: reads (`getOrderInfo`,
 * signatures, fees) through the provider, fills and cancels as transactions
 * through @hb/ethereum's `TransactionSender`. Every transaction is simulated
 * first: a fill the Exchange would refuse fails here, before any gas, as a
 * typed {@link ZeroExError} (`order_expired`, `order_filled`,
 * `order_cancelled`, `unfunded`, `allowance_missing`, `invalid_signature`,
 * `incomplete_fill`, `not_allowed`, or `reverted` with the decoded reason).
 */
export class ZeroExExchange {
  /** The protocol version of this Exchange. */
  readonly version: ZeroExVersion;
  /** The Exchange address (checksummed). */
  readonly address: string;
  /** The ABI interface of this version. */
  readonly interface: Interface;
  private readonly contract: Contract;
  private readonly provider: Provider;
  private readonly sender: TransactionSender | undefined;
  private readonly gas: GasOracle;
  private erc20Proxy: string | undefined;
  private zrxFeeAsset: string | undefined;
  /** What each sent transaction fills: to explain a revert once it is mined. */
  private readonly sharesOf = new WeakMap<TrackedTransaction, readonly FillShare[]>();

  constructor(options: ZeroExExchangeOptions) {
    this.version = options.version;
    this.address = getAddress(options.address);
    this.interface = EXCHANGE_INTERFACE[options.version];
    this.provider = options.provider;
    this.sender = options.sender;
    this.gas = options.gas ?? new GasOracle(options.provider, {}, ZERO_EX_REVERT_DECODER);
    this.contract = new Contract(this.address, this.interface, options.provider);
  }

  // ---------------------------------------------------------------- reads

  /** The Exchange's view of an order: status, hash, taker asset filled. */
  async getOrderInfo(order: ZeroExOrder): Promise<ZeroExOrderInfo> {
    const info = (await this.read('getOrderInfo', this.struct(order))) as {
      orderStatus: bigint;
      orderHash: string;
      orderTakerAssetFilledAmount: bigint;
    };
    const status = Number(info.orderStatus);
    return {
      orderStatus: status,
      orderStatusName: orderStatusName(status),
      orderHash: info.orderHash.toLowerCase(),
      orderTakerAssetFilledAmount: info.orderTakerAssetFilledAmount,
    };
  }

  /**
   * Whether the Exchange accepts the order's signature by its maker (every
   * signature type, including contract wallets and pre-signed hashes). A
   * signature the Exchange refuses outright (illegal or unsupported type) is false.
   */
  async isValidSignature(signed: SignedZeroExOrder): Promise<boolean> {
    try {
      // v3's isValidOrderSignature covers every type (its hash variant refuses Validator and EIP1271Wallet).
      return (await (this.version === 'v3'
        ? this.read('isValidOrderSignature', this.struct(signed), signed.signature)
        : this.read(
            'isValidSignature',
            hashOrder(signed, this.version),
            signed.makerAddress,
            signed.signature,
          ))) as boolean;
    } catch (e) {
      if (e instanceof ZeroExError && e.kind === 'invalid_signature') return false;
      throw e;
    }
  }

  /** Taker asset filled of an order hash. */
  async filled(orderHash: string): Promise<bigint> {
    return (await this.read('filled', orderHash)) as bigint;
  }

  /** Whether an order hash was cancelled with `cancelOrder` (not `cancelOrdersUpTo`). */
  async cancelled(orderHash: string): Promise<boolean> {
    return (await this.read('cancelled', orderHash)) as boolean;
  }

  /** Orders of `maker` (with `sender`) whose salt is below this are cancelled (see {@link cancelOrdersUpTo}). */
  async orderEpoch(maker: string, sender: string = NULL_ADDRESS): Promise<bigint> {
    return (await this.read('orderEpoch', maker, sender)) as bigint;
  }

  /** The ERC20Proxy makers and takers approve (read from the Exchange once). */
  async erc20ProxyAddress(): Promise<string> {
    this.erc20Proxy ??= getAddress((await this.read('getAssetProxy', AssetProxyId.ERC20)) as string);
    return this.erc20Proxy;
  }

  /** v3: the protocol fee multiplier (0 for v2, which has no protocol fee). */
  async protocolFeeMultiplier(): Promise<bigint> {
    if (this.version === 'v2') return 0n;
    return (await this.read('protocolFeeMultiplier')) as bigint;
  }

  /** v3: who receives protocol fees; the zero address means none are charged (v2: always). */
  async protocolFeeCollector(): Promise<string> {
    if (this.version === 'v2') return NULL_ADDRESS;
    return getAddress((await this.read('protocolFeeCollector')) as string);
  }

  /**
   * The v3 protocol fee for filling `orders` (a count or the orders) at
   * `gasPrice` wei: gasPrice × protocolFeeMultiplier per order, read from the
   * contract. 0 for v2, and 0 when the Exchange has no fee collector (it
   * charges nothing then).
   */
  async protocolFee(gasPrice: bigint, orders: number | readonly ZeroExOrder[]): Promise<bigint> {
    if (this.version === 'v2') return 0n;
    const [multiplier, collector] = await Promise.all([
      this.protocolFeeMultiplier(),
      this.protocolFeeCollector(),
    ]);
    if (collector === NULL_ADDRESS) return 0n;
    const n = typeof orders === 'number' ? orders : orders.length;
    return gasPrice * multiplier * BigInt(n);
  }

  // ---------------------------------------------------------------- fills

  /** Fills up to `takerAssetFillAmount` of the order (partial fills allowed). */
  fillOrder(
    signed: SignedZeroExOrder,
    takerAssetFillAmount: bigint,
    options: FillOptions = {},
  ): Promise<TrackedTransaction> {
    return this.fill('fillOrder', [signed], [takerAssetFillAmount], options, () => [
      this.struct(signed),
      takerAssetFillAmount,
      signed.signature,
    ]);
  }

  /** Fills exactly `takerAssetFillAmount` or reverts (`incomplete_fill`). */
  fillOrKillOrder(
    signed: SignedZeroExOrder,
    takerAssetFillAmount: bigint,
    options: FillOptions = {},
  ): Promise<TrackedTransaction> {
    return this.fill('fillOrKillOrder', [signed], [takerAssetFillAmount], options, () => [
      this.struct(signed),
      takerAssetFillAmount,
      signed.signature,
    ]);
  }

  /** Fills several orders in one transaction; any failing fill reverts all of them. */
  batchFillOrders(
    orders: readonly SignedZeroExOrder[],
    takerAssetFillAmounts: readonly bigint[],
    options: FillOptions = {},
  ): Promise<TrackedTransaction> {
    if (orders.length !== takerAssetFillAmounts.length || orders.length === 0)
      throw new ZeroExError(
        'invalid_order',
        'batchFillOrders needs one fill amount per order, and at least one order',
      );
    return this.fill('batchFillOrders', orders, takerAssetFillAmounts, options, () => [
      orders.map((o) => this.struct(o)),
      [...takerAssetFillAmounts],
      orders.map((o) => o.signature),
    ]);
  }

  /**
   * Sells `takerAssetFillAmount` of the taker asset across `orders` (same
   * taker asset), best first as given; orders that cannot fill are skipped and
   * the total may come out short.
   */
  marketSellOrders(
    orders: readonly SignedZeroExOrder[],
    takerAssetFillAmount: bigint,
    options: FillOptions = {},
  ): Promise<TrackedTransaction> {
    return this.market('marketSellOrdersNoThrow', orders, takerAssetFillAmount, 'sell', options);
  }

  /**
   * Sells exactly `takerAssetFillAmount` or reverts (`incomplete_fill`). v3:
   * the contract's `marketSellOrdersFillOrKill`. v2.1 has none: its
   * `marketSellOrders` (reverting if any order fails) is sent after a simulation
   * proved the full amount fills; between the simulation and the block another
   * fill can still make it come out short.
   */
  marketSellOrdersFillOrKill(
    orders: readonly SignedZeroExOrder[],
    takerAssetFillAmount: bigint,
    options: FillOptions = {},
  ): Promise<TrackedTransaction> {
    return this.version === 'v3'
      ? this.market('marketSellOrdersFillOrKill', orders, takerAssetFillAmount, 'sell', options)
      : this.market('marketSellOrders', orders, takerAssetFillAmount, 'sell', options, true);
  }

  /** Buys `makerAssetFillAmount` of the maker asset across `orders`; may come out short. */
  marketBuyOrders(
    orders: readonly SignedZeroExOrder[],
    makerAssetFillAmount: bigint,
    options: FillOptions = {},
  ): Promise<TrackedTransaction> {
    return this.market('marketBuyOrdersNoThrow', orders, makerAssetFillAmount, 'buy', options);
  }

  /** Buys exactly `makerAssetFillAmount` or reverts (v2.1: see {@link marketSellOrdersFillOrKill}). */
  marketBuyOrdersFillOrKill(
    orders: readonly SignedZeroExOrder[],
    makerAssetFillAmount: bigint,
    options: FillOptions = {},
  ): Promise<TrackedTransaction> {
    return this.version === 'v3'
      ? this.market('marketBuyOrdersFillOrKill', orders, makerAssetFillAmount, 'buy', options)
      : this.market('marketBuyOrders', orders, makerAssetFillAmount, 'buy', options, true);
  }

  // ---------------------------------------------------------------- cancels

  /** Cancels an order (maker or sender only). */
  cancelOrder(order: ZeroExOrder, options: CancelOptions = {}): Promise<TrackedTransaction> {
    return this.send('cancelOrder', [this.struct(order)], [], 0n, options);
  }

  /** Cancels several orders in one transaction. */
  batchCancelOrders(
    orders: readonly ZeroExOrder[],
    options: CancelOptions = {},
  ): Promise<TrackedTransaction> {
    if (orders.length === 0)
      throw new ZeroExError('invalid_order', 'batchCancelOrders needs at least one order');
    return this.send('batchCancelOrders', [orders.map((o) => this.struct(o))], [], 0n, options);
  }

  /**
   * Cancels every order of the sending maker (with sender = the zero address,
   * or the caller as sender) whose salt is at most `targetOrderEpoch`; the
   * Exchange's epoch becomes `targetOrderEpoch + 1` and must grow each time.
   * hb's cancel-all: salts are time in ms, so cancel up to the latest salt.
   */
  cancelOrdersUpTo(targetOrderEpoch: bigint, options: CancelOptions = {}): Promise<TrackedTransaction> {
    return this.send('cancelOrdersUpTo', [targetOrderEpoch], [], 0n, options);
  }

  // ---------------------------------------------------------------- outcomes

  /**
   * Waits for a transaction of this Exchange and returns what it did: the
   * decoded Fill / Cancel / CancelUpTo events, the gas fee and the protocol
   * fees. A revert becomes a typed {@link ZeroExError}.
   */
  async outcome(
    tx: TrackedTransaction,
    target: 'mined' | 'confirmed' = 'confirmed',
    timeoutMs?: number,
  ): Promise<ZeroExTransactionOutcome> {
    let status: TransactionStatus;
    try {
      status = await tx.wait(target, timeoutMs);
    } catch (e) {
      throw await this.explainMined(e, this.sharesOf.get(tx) ?? []);
    }
    const receipt = status.receipt!;
    const events = decodeExchangeEvents(receipt, this.address);
    const fills = events.filter((e): e is ZeroExFillEvent => e.type === 'fill');
    return {
      status,
      receipt,
      fills,
      cancels: events.filter((e): e is ZeroExCancelEvent => e.type === 'cancel'),
      cancelUpTos: events.filter((e): e is ZeroExCancelUpToEvent => e.type === 'cancelUpTo'),
      gasFee: receipt.gasUsed * receipt.gasPrice,
      protocolFeePaid: fills.reduce((sum, f) => sum + f.protocolFeePaid, 0n),
    };
  }

  /** The order as the contract's tuple (v2: without the fee asset fields). */
  struct(order: ZeroExOrder): Record<string, unknown> {
    const o = normalizeOrder(order);
    if (o.exchangeAddress !== this.address)
      throw new ZeroExError(
        'invalid_order',
        `the order is for Exchange ${o.exchangeAddress}, not ${this.address}`,
      );
    const s: Record<string, unknown> = {
      makerAddress: o.makerAddress,
      takerAddress: o.takerAddress,
      feeRecipientAddress: o.feeRecipientAddress,
      senderAddress: o.senderAddress,
      makerAssetAmount: o.makerAssetAmount,
      takerAssetAmount: o.takerAssetAmount,
      makerFee: o.makerFee,
      takerFee: o.takerFee,
      expirationTimeSeconds: o.expirationTimeSeconds,
      salt: o.salt,
      makerAssetData: o.makerAssetData,
      takerAssetData: o.takerAssetData,
    };
    if (this.version === 'v3') {
      s['makerFeeAssetData'] = o.makerFeeAssetData;
      s['takerFeeAssetData'] = o.takerFeeAssetData;
    }
    return s;
  }

  // ---------------------------------------------------------------- internals

  private async fill(
    method: string,
    orders: readonly SignedZeroExOrder[],
    takerAmounts: readonly bigint[],
    options: FillOptions,
    args: () => unknown[],
  ): Promise<TrackedTransaction> {
    const shares = orders.map((order, i) => ({ order, takerAmount: takerAmounts[i]! }));
    const value = await this.feeValue(orders.length, options);
    return this.send(method, args(), shares, value, options);
  }

  private async market(
    method: string,
    orders: readonly SignedZeroExOrder[],
    amount: bigint,
    side: 'sell' | 'buy',
    options: FillOptions,
    mustFillAll = false,
  ): Promise<TrackedTransaction> {
    if (orders.length === 0) throw new ZeroExError('invalid_order', `${method} needs at least one order`);
    // Each order may take at most the whole amount (sell) or its taker amount (buy): upper bounds for the diagnosis.
    const shares = orders.map((order) => ({
      order,
      takerAmount: side === 'sell' ? min(amount, order.takerAssetAmount) : order.takerAssetAmount,
    }));
    const value = await this.feeValue(orders.length, options);
    const data = this.interface.encodeFunctionData(method, [
      orders.map((o) => this.struct(o)),
      amount,
      orders.map((o) => o.signature),
    ]);
    if (mustFillAll) {
      // v2.1 has no fill-or-kill market fill: prove by simulation that the whole amount fills.
      const result = await this.simulate(method, data, value, shares);
      const filled =
        (result[0] as { takerAssetFilledAmount: bigint; makerAssetFilledAmount: bigint }) ?? undefined;
      const got = side === 'sell' ? filled?.takerAssetFilledAmount : filled?.makerAssetFilledAmount;
      if (got === undefined || got < amount)
        throw new ZeroExError('incomplete_fill', `only ${got ?? 0n} of ${amount} would be filled`);
    }
    return this.sendData(method, data, shares, value, options);
  }

  private async feeValue(orders: number, options: FillOptions): Promise<bigint> {
    if (this.version === 'v2') return 0n;
    if (options.protocolFeeValue !== undefined) return options.protocolFeeValue;
    const fees = await this.gas.fees();
    return this.protocolFee(fees.type === 2 ? fees.maxFeePerGas : fees.gasPrice, orders);
  }

  private send(
    method: string,
    args: unknown[],
    shares: readonly FillShare[],
    value: bigint,
    options: FillOptions | CancelOptions,
  ): Promise<TrackedTransaction> {
    return this.sendData(method, this.interface.encodeFunctionData(method, args), shares, value, options);
  }

  private async sendData(
    method: string,
    data: string,
    shares: readonly FillShare[],
    value: bigint,
    options: FillOptions | CancelOptions,
  ): Promise<TrackedTransaction> {
    const sender = this.sender;
    if (!sender)
      throw new ZeroExError('not_supported', `${method} needs a TransactionSender (none was given)`);
    await this.simulate(method, data, value, shares);
    let tx: TrackedTransaction;
    try {
      tx = await sender.send({
        to: this.address,
        data,
        ...(value > 0n ? { value } : {}),
        ...(options.gasLimit !== undefined ? { gasLimit: options.gasLimit } : {}),
        ...(options.confirmations !== undefined ? { confirmations: options.confirmations } : {}),
      });
    } catch (e) {
      throw await this.explain(e, shares);
    }
    this.sharesOf.set(tx, shares);
    return tx;
  }

  /** eth_call of the transaction from the sender: a revert becomes a typed error before anything is spent. */
  private async simulate(
    method: string,
    data: string,
    value: bigint,
    shares: readonly FillShare[],
  ): Promise<readonly unknown[]> {
    let raw: string;
    try {
      raw = await this.provider.call({
        to: this.address,
        data,
        ...(this.sender ? { from: this.sender.address } : {}),
        ...(value > 0n ? { value } : {}),
      });
    } catch (e) {
      throw await this.explain(e, shares);
    }
    try {
      return [...this.interface.decodeFunctionResult(method, raw)];
    } catch (e) {
      throw new ZeroExError('reverted', `${method} returned data that does not decode`, { cause: e });
    }
  }

  /** A typed error for what a call or send threw, with the parties' funds checked for transfer failures. */
  private async explain(e: unknown, shares: readonly FillShare[]): Promise<Error> {
    const base = this.mapError(e);
    if (!(base instanceof ZeroExError)) return base;
    if (base.kind === 'unfunded' || (base.kind === 'reverted' && /TRANSFER_FAILED/.test(base.message))) {
      const found = await this.diagnoseFunds(shares).catch(() => undefined);
      if (found) return found;
      return new ZeroExError('reverted', base.message, {
        cause: e,
        ...(base.revert ? { revert: base.revert } : {}),
      });
    }
    if (base.kind === 'order_unfillable' && shares.length === 1) {
      // v2.1 says only ORDER_UNFILLABLE: the status tells expired, filled or cancelled apart.
      const info = await this.getOrderInfo(shares[0]!.order).catch(() => undefined);
      const kind = info ? STATUS_KIND[info.orderStatusName] : undefined;
      if (kind && info)
        return new ZeroExError(kind, `order ${info.orderHash} is ${info.orderStatusName}`, {
          cause: e,
          orderHash: info.orderHash,
          ...(base.revert ? { revert: base.revert } : {}),
        });
    }
    return base;
  }

  /**
   * A mined revert often carries no reason (nodes keep none; the tracker's
   * replay on the parent block can succeed when an earlier transaction of the
   * same block was the cause). The orders' state now tells why.
   */
  private async explainMined(e: unknown, shares: readonly FillShare[]): Promise<Error> {
    const base = await this.explain(e, shares);
    if (!(base instanceof ZeroExError) || base.kind !== 'reverted' || shares.length === 0) return base;
    for (const { order } of shares) {
      const info = await this.getOrderInfo(order).catch(() => undefined);
      const kind = info ? STATUS_KIND[info.orderStatusName] : undefined;
      if (kind && info)
        return new ZeroExError(kind, `order ${info.orderHash} is ${info.orderStatusName}`, {
          cause: e,
          orderHash: info.orderHash,
        });
    }
    return (await this.diagnoseFunds(shares).catch(() => undefined)) ?? base;
  }

  /** Maps an ethers / @hb/ethereum error to a ZeroExError when it is an Exchange revert; chain errors stay as they are. */
  private mapError(e: unknown): Error {
    if (e instanceof ZeroExError) return e;
    const data = (isEthereumError(e) ? e.revert?.data : undefined) ?? revertDataOf(e);
    const revert = ZERO_EX_REVERT_DECODER.decode(data);
    if (revert) return zeroExErrorFromRevert(revert, e);
    if (isEthereumError(e, 'reverted'))
      return new ZeroExError('reverted', e.message, { cause: e, ...(e.revert ? { revert: e.revert } : {}) });
    if (e instanceof EthereumError) return e;
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'CALL_EXCEPTION')
      return new ZeroExError('reverted', `the Exchange reverted without a reason`, { cause: e });
    return e instanceof Error ? e : new Error(String(e));
  }

  /** Reads balances and allowances of the maker and the taker to name who is short of what. */
  private async diagnoseFunds(shares: readonly FillShare[]): Promise<ZeroExError | undefined> {
    const taker = this.sender?.address;
    const proxy = await this.erc20ProxyAddress();
    // v2.1 fees are in ZRX (the Exchange's own fee token); v3 fees in each order's fee asset.
    const v2FeeAsset = this.version === 'v2' ? await this.zrxAssetData() : undefined;
    for (const { order, takerAmount } of shares) {
      const part = (amount: bigint) => (takerAmount * amount) / order.takerAssetAmount;
      const wants: [
        party: 'maker' | 'taker',
        owner: string | undefined,
        assetData: string,
        amount: bigint,
      ][] = [
        ['maker', order.makerAddress, order.makerAssetData, part(order.makerAssetAmount)],
        ['taker', taker, order.takerAssetData, takerAmount],
        ['maker', order.makerAddress, v2FeeAsset ?? order.makerFeeAssetData, part(order.makerFee)],
        ['taker', taker, v2FeeAsset ?? order.takerFeeAssetData, part(order.takerFee)],
      ];
      // One token can be both traded and paid as a fee by the same party: the needs add up.
      const needs = new Map<
        string,
        { party: 'maker' | 'taker'; owner: string; token: string; amount: bigint }
      >();
      for (const [party, owner, assetData, amount] of wants) {
        if (!owner || amount === 0n) continue;
        let token: string;
        try {
          const d = decodeAssetData(assetData);
          if (d.kind !== 'erc20') continue;
          token = d.token;
        } catch {
          continue;
        }
        const key = `${party}:${token}`;
        const cur = needs.get(key);
        needs.set(key, { party, owner, token, amount: (cur?.amount ?? 0n) + amount });
      }
      const hash = hashOrder(order, this.version);
      for (const { party, owner, token, amount } of needs.values()) {
        const erc20 = new Contract(token, ERC20_ABI, this.provider);
        const [balance, allowance] = (await Promise.all([
          erc20.getFunction('balanceOf')(owner),
          erc20.getFunction('allowance')(owner, proxy),
        ])) as [bigint, bigint];
        if (balance < amount)
          return new ZeroExError(
            'unfunded',
            `the ${party} ${owner} holds ${balance} of token ${token}, the fill needs ${amount}`,
            { orderHash: hash, party, token },
          );
        if (allowance < amount)
          return new ZeroExError(
            'allowance_missing',
            `the ${party} ${owner} allows the ERC20Proxy ${allowance} of token ${token}, the fill needs ${amount}`,
            { orderHash: hash, party, token },
          );
      }
    }
    return undefined;
  }

  /** v2.1: the ZRX asset data fees are paid in (read once). */
  private async zrxAssetData(): Promise<string> {
    this.zrxFeeAsset ??= ((await this.read('ZRX_ASSET_DATA')) as string).toLowerCase();
    return this.zrxFeeAsset;
  }

  private async read(method: string, ...args: unknown[]): Promise<unknown> {
    try {
      return await this.contract.getFunction(method).staticCall(...args);
    } catch (e) {
      throw this.mapError(e);
    }
  }
}

/** The error kind of an order status that cannot be filled. */
const STATUS_KIND: Partial<
  Record<OrderStatusName, 'order_expired' | 'order_filled' | 'order_cancelled' | 'order_unfillable'>
> = {
  EXPIRED: 'order_expired',
  FULLY_FILLED: 'order_filled',
  CANCELLED: 'order_cancelled',
  INVALID_MAKER_ASSET_AMOUNT: 'order_unfillable',
  INVALID_TAKER_ASSET_AMOUNT: 'order_unfillable',
};

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
