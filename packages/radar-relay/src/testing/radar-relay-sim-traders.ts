// Simulated traders of the Radar sandbox: makers that sign 0x v3 orders and post
// them through the relayer's own validation, and takers that fill orders on chain
// with real Exchange transactions (paying the protocol fee), so the relayer sees
// them only as Fill logs, like any other taker. The order hash a maker signs is
// the deployed Exchange's (getOrderInfo): the traders never hash in TypeScript.
import BigNumber from 'bignumber.js';
import {
  Contract,
  Signature,
  Wallet,
  ZeroAddress,
  concat,
  getBytes,
  toBeHex,
  type TransactionReceipt,
  type TransactionRequest,
} from 'ethers';
import { Prng } from '@hb/testing';
import { approveProxy, type RadarSimDeployment } from './radar-relay-sim-chain.js';
import type { RadarSimMarket, RadarSimOrder, RadarSimOrderStore } from './radar-relay-sim-orders.js';
import type {
  RadarSimErrorBody,
  RadarSimOrderType,
  RadarSimSignedOrderJson,
} from './radar-relay-sim-types.js';
import { contractOrderInfo, orderTuple, type RadarSimOrderRules } from './radar-relay-sim-validation.js';

/** What the traders need of the simulator. */
export interface RadarTraderContext {
  readonly deployment: RadarSimDeployment;
  readonly markets: readonly RadarSimMarket[];
  readonly store: RadarSimOrderStore;
  readonly rules: RadarSimOrderRules;
  chainNow(): number;
  submitOrder(
    body: unknown,
  ): Promise<
    { readonly ok: true; readonly hash: string } | { readonly ok: false; readonly body: RadarSimErrorBody }
  >;
  /** Lets the relayer read the chain now (after a transaction is mined). */
  sync(): Promise<void>;
}

/** How a maker signs: EIP-712 (type 0x02) or EthSign (0x03, what Radar's clients used). */
export type RadarSignatureScheme = 'eip712' | 'ethSign';

/** Options of {@link RadarSimTrader.signOrder}. */
export interface RadarSignOrderOptions {
  /** Seconds from the chain's now to expiry. Default 3600. */
  readonly expiresInSec?: number;
  /** An absolute expiry (unix seconds) instead. */
  readonly expirationTimeSeconds?: bigint;
  readonly scheme?: RadarSignatureScheme;
  /** Default: the current time in ms (Radar's choice, so cancelOrdersUpTo works). */
  readonly salt?: bigint;
}

/** A posting refused by the relayer. */
export class RadarSimRefusal extends Error {
  constructor(readonly body: RadarSimErrorBody) {
    super(
      `order refused: ${body.reason}${body.validationErrors?.map((e) => ` [${e.field} ${e.code} ${e.reason}]`).join('') ?? ''}`,
    );
    this.name = 'RadarSimRefusal';
  }
}

/** Packs an ethers signature as 0x's `v ‖ r ‖ s ‖ type`. */
export function packZeroExSignature(sig: Signature, type: 2 | 3): string {
  return concat([toBeHex(sig.v, 1), sig.r, sig.s, toBeHex(type, 1)]).toLowerCase();
}

/** One simulated account: a maker, a taker, or both. */
export class RadarSimTrader {
  /** Lower-case address. */
  readonly address: string;
  readonly wallet: Wallet;
  private readonly exchange: Contract;
  /** Transactions leave one at a time, so nonces never collide. */
  private txQueue: Promise<unknown> = Promise.resolve();
  private nextSalt = 0n;

  constructor(
    private readonly ctx: RadarTraderContext,
    privateKey: string,
  ) {
    this.wallet = new Wallet(privateKey, ctx.deployment.chain.provider);
    this.address = this.wallet.address.toLowerCase();
    this.exchange = ctx.deployment.zeroEx.exchange.connect(this.wallet) as Contract;
  }

  /** Approves the ERC20Proxy for every token (unlimited). */
  async approveAll(): Promise<void> {
    for (const token of this.ctx.deployment.tokens.values()) {
      await this.enqueue(() => approveProxy(this.ctx.deployment, token, this.wallet));
    }
  }

  /**
   * Builds and signs a limit order: `side` ASK sells `amount` base at `price`, BID
   * buys it. Amounts are truncated to base units as Radar's order/limit does.
   */
  async signOrder(
    marketId: string,
    side: RadarSimOrderType,
    price: BigNumber.Value,
    amount: BigNumber.Value,
    options: RadarSignOrderOptions = {},
  ): Promise<{ readonly order: RadarSimSignedOrderJson; readonly hash: string }> {
    const m = this.market(marketId);
    const base = BigInt(
      new BigNumber(amount).shiftedBy(m.base.decimals).integerValue(BigNumber.ROUND_DOWN).toFixed(),
    );
    const quote = BigInt(
      new BigNumber(amount)
        .times(price)
        .shiftedBy(m.quote.decimals)
        .integerValue(BigNumber.ROUND_DOWN)
        .toFixed(),
    );
    const ask = side === 'ASK';
    const expiration =
      options.expirationTimeSeconds ??
      BigInt(Math.floor(this.ctx.chainNow()) + (options.expiresInSec ?? 3600));
    const salt = options.salt ?? this.salt();
    const unsigned: RadarSimSignedOrderJson = {
      chainId: this.ctx.rules.chainId,
      exchangeAddress: this.ctx.rules.exchangeAddress,
      makerAddress: this.address,
      takerAddress: ZeroAddress,
      feeRecipientAddress: this.ctx.rules.feeRecipientAddress,
      senderAddress: ZeroAddress,
      makerAssetAmount: (ask ? base : quote).toString(),
      takerAssetAmount: (ask ? quote : base).toString(),
      makerFee: this.ctx.rules.makerFee.toString(),
      takerFee: this.ctx.rules.takerFee.toString(),
      expirationTimeSeconds: expiration.toString(),
      salt: salt.toString(),
      makerAssetData: ask ? m.base.assetData : m.quote.assetData,
      takerAssetData: ask ? m.quote.assetData : m.base.assetData,
      makerFeeAssetData: '0x',
      takerFeeAssetData: '0x',
      signature: '0x',
    };
    const { orderHash } = await contractOrderInfo(this.ctx.deployment.zeroEx.exchange, unsigned);
    const signature = await this.signHash(orderHash, options.scheme ?? 'ethSign');
    return { order: { ...unsigned, signature }, hash: orderHash };
  }

  /** Signs a 32-byte hash as 0x wants it (EthSign: personal-sign of the raw bytes). */
  async signHash(hash: string, scheme: RadarSignatureScheme): Promise<string> {
    if (scheme === 'eip712') return packZeroExSignature(this.wallet.signingKey.sign(hash), 2);
    return packZeroExSignature(Signature.from(await this.wallet.signMessage(getBytes(hash))), 3);
  }

  /** Signs and posts a limit order through the relayer's validation; returns its hash or throws {@link RadarSimRefusal}. */
  async postOrder(
    marketId: string,
    side: RadarSimOrderType,
    price: BigNumber.Value,
    amount: BigNumber.Value,
    options: RadarSignOrderOptions = {},
  ): Promise<string> {
    const { order } = await this.signOrder(marketId, side, price, amount, options);
    const r = await this.ctx.submitOrder(order);
    if (!r.ok) throw new RadarSimRefusal(r.body);
    return r.hash;
  }

  /**
   * Fills an order on chain (`fillOrder`), taking `baseAmount` (human units; default
   * all that remains) of its base side, and waits until the relayer has read the block.
   * Throws when the transaction reverts.
   */
  async fill(order: RadarSimOrder | string, baseAmount?: BigNumber.Value): Promise<TransactionReceipt> {
    const o = typeof order === 'string' ? this.ctx.store.get(order) : order;
    if (o === undefined) throw new Error(`radar-relay simulator: unknown order ${String(order)}`);
    const takerFill = takerAmountFor(o, baseAmount);
    const receipt = await this.send(async () => {
      const gasPrice = await this.gasPrice();
      const value = this.ctx.deployment.protocolFeeMultiplier * gasPrice;
      const data = this.exchange.interface.encodeFunctionData('fillOrder', [
        orderTuple(o.signed),
        takerFill,
        o.signed.signature,
      ]);
      // An explicit limit: estimates for 0x fills come out short on some nodes (ETHEREUM.md).
      return {
        to: this.ctx.deployment.exchangeAddress,
        data,
        value,
        gasPrice,
        gasLimit: 1_000_000n,
        type: 0,
      };
    });
    await this.ctx.sync();
    return receipt;
  }

  /** Cancels one of this maker's orders on chain (`cancelOrder`) and waits until the relayer has read the block. */
  async cancel(order: RadarSimOrder | string): Promise<TransactionReceipt> {
    const o = typeof order === 'string' ? this.ctx.store.get(order) : order;
    if (o === undefined) throw new Error(`radar-relay simulator: unknown order ${String(order)}`);
    const receipt = await this.send(async () => ({
      to: this.ctx.deployment.exchangeAddress,
      data: this.exchange.interface.encodeFunctionData('cancelOrder', [orderTuple(o.signed)]),
      gasLimit: 500_000n,
    }));
    await this.ctx.sync();
    return receipt;
  }

  /** Cancels every order of this maker with salt <= `salt` (`cancelOrdersUpTo`). */
  async cancelUpTo(salt: bigint): Promise<TransactionReceipt> {
    const receipt = await this.send(async () => ({
      to: this.ctx.deployment.exchangeAddress,
      data: this.exchange.interface.encodeFunctionData('cancelOrdersUpTo', [salt]),
      gasLimit: 200_000n,
    }));
    await this.ctx.sync();
    return receipt;
  }

  /** Sends a transaction built by `build` (in queue order), waits for it; throws when it reverts. */
  async send(build: () => Promise<TransactionRequest>): Promise<TransactionReceipt> {
    return this.enqueue(async () => {
      const tx = await this.wallet.sendTransaction(await build());
      const receipt = await tx.wait();
      if (receipt === null) throw new Error(`transaction ${tx.hash} was not mined`);
      if (receipt.status !== 1) throw new Error(`transaction ${tx.hash} reverted`);
      return receipt;
    });
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.txQueue.then(fn, fn);
    this.txQueue = run.catch(() => undefined); // the caller's own promise (`run`) carries the error; the queue only orders transactions
    return run;
  }

  private async gasPrice(): Promise<bigint> {
    // One call (getFeeData would also read the latest block and the priority fee).
    return BigInt(await this.ctx.deployment.chain.send<string>('eth_gasPrice'));
  }

  /** Salts: the time in ms, strictly increasing per trader. */
  private salt(): bigint {
    const now = BigInt(Date.now());
    this.nextSalt = now > this.nextSalt ? now : this.nextSalt + 1n;
    return this.nextSalt;
  }

  private market(id: string): RadarSimMarket {
    const m = this.ctx.markets.find((x) => x.id === id);
    if (m === undefined) throw new Error(`radar-relay simulator: unknown market ${id}`);
    return m;
  }
}

/**
 * The taker amount that takes `baseAmount` (human) of an order's base side: for
 * an ASK the taker pays quote, rounded up so that the maker's floor pays out at
 * least that base; for a BID the taker pays the base itself. At most what remains.
 */
export function takerAmountFor(o: RadarSimOrder, baseAmount?: BigNumber.Value): bigint {
  const remaining = o.remainingTaker;
  if (baseAmount === undefined) return remaining;
  const base = BigInt(
    new BigNumber(baseAmount).shiftedBy(o.market.base.decimals).integerValue(BigNumber.ROUND_DOWN).toFixed(),
  );
  const t =
    o.type === 'BID' ? base : (base * o.takerAssetAmount + o.makerAssetAmount - 1n) / o.makerAssetAmount;
  return t < remaining ? t : remaining;
}

/** Options of {@link RadarSimActivity}. */
export interface RadarSimActivityOptions {
  /** Markets to trade; default all. */
  readonly markets?: readonly string[];
  /** Price levels each side of the mid the makers quote on. Default 5. */
  readonly levels?: number;
  /** Orders are 1..maxSteps × the market's activity step. Default 5. */
  readonly maxSteps?: number;
  /** Relative weights of post, take and cancel. Default 6 / 2 / 2. */
  readonly weights?: { readonly post: number; readonly take: number; readonly cancel: number };
  /** Keep at most this many open orders of the simulated makers per market (then take or cancel). Default 40. */
  readonly maxOpenPerMarket?: number;
  /** Order lifetime, seconds. Default 3600. */
  readonly expiresInSec?: number;
}

/**
 * Seeded synthetic activity: makers quote on a price grid around each market's
 * mid (bids below, asks above, so the makers never cross each other), takers fill
 * the best orders of the simulated makers partly or fully on chain, makers cancel
 * on chain. Steps are asynchronous (real transactions); `run` never overlaps them.
 */
export class RadarSimActivity {
  private readonly prng: Prng;
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private stopped = false;
  /** Errors of background steps (the last 100). */
  readonly errors: unknown[] = [];
  /** Steps done, by action. */
  readonly counts = { post: 0, take: 0, cancel: 0 };

  constructor(
    private readonly ctx: RadarTraderContext,
    private readonly makers: readonly RadarSimTrader[],
    private readonly takers: readonly RadarSimTrader[],
    seed: number,
    private readonly options: RadarSimActivityOptions = {},
  ) {
    this.prng = new Prng(seed);
  }

  /** Runs `n` actions, one after another. */
  async step(n = 1): Promise<void> {
    for (let i = 0; i < n; i++) await this.one();
  }

  /** One action every `intervalMs` (a slow action delays the next; never two at once) until {@link stop}. */
  run(intervalMs = 500): void {
    this.stopped = false;
    const tick = (): void => {
      if (this.stopped) return;
      this.busy = this.one()
        .catch((e: unknown) => {
          this.errors.push(e);
          if (this.errors.length > 100) this.errors.shift();
        })
        .finally(() => {
          this.busy = undefined;
          if (!this.stopped) {
            this.timer = setTimeout(tick, intervalMs);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(tick, intervalMs);
    this.timer.unref();
  }

  /** Stops {@link run}; resolves when the action in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.busy;
  }

  private markets(): RadarSimMarket[] {
    const only = this.options.markets;
    return this.ctx.markets.filter((m) => only === undefined || only.includes(m.id));
  }

  private ownOpen(market: string): RadarSimOrder[] {
    const makers = new Set(this.makers.map((m) => m.address));
    return this.ctx.store.open().filter((o) => o.market.id === market && makers.has(o.maker));
  }

  private async one(): Promise<void> {
    const m = this.prng.pick(this.markets());
    const open = this.ownOpen(m.id);
    const w = this.options.weights ?? { post: 6, take: 2, cancel: 2 };
    const full = open.length >= (this.options.maxOpenPerMarket ?? 40);
    const action = this.prng.weighted<'post' | 'take' | 'cancel'>([
      ['post', full ? 0 : w.post],
      ['take', open.length === 0 ? 0 : w.take],
      ['cancel', open.length === 0 ? 0 : w.cancel],
    ]);
    if (action === 'post') await this.post(m);
    else if (action === 'take') await this.take(m, open);
    else await this.cancel(open);
    this.counts[action] += 1;
  }

  private async post(m: RadarSimMarket): Promise<void> {
    const maker = this.prng.pick(this.makers);
    const side: RadarSimOrderType = this.prng.chance(0.5) ? 'BID' : 'ASK';
    const mid = new BigNumber(m.spec.midPrice);
    const dp = m.spec.quoteIncrement ?? 8;
    const tick = BigNumber.max(
      mid.div(1000).decimalPlaces(dp, BigNumber.ROUND_DOWN),
      new BigNumber(1).shiftedBy(-dp),
    );
    const k = this.prng.int(1, this.options.levels ?? 5);
    const price = side === 'BID' ? mid.minus(tick.times(k)) : mid.plus(tick.times(k));
    const amount = new BigNumber(m.spec.activityStepSize).times(this.prng.int(1, this.options.maxSteps ?? 5));
    await maker.postOrder(m.id, side, price, amount, { expiresInSec: this.options.expiresInSec ?? 3600 });
  }

  private async take(m: RadarSimMarket, open: RadarSimOrder[]): Promise<void> {
    const taker = this.prng.pick(this.takers);
    const side = this.prng.chance(0.5) ? 'BID' : 'ASK';
    const { bids, asks } = this.ctx.store.book(m.id);
    const own = new Set(open.map((o) => o.hash));
    const best = (side === 'BID' ? bids : asks).find((o) => own.has(o.hash)) ?? open[0];
    if (best === undefined) return;
    // Half the time the whole order, otherwise one activity step of it.
    const part = this.prng.chance(0.5) ? undefined : m.spec.activityStepSize;
    await taker.fill(best, part);
  }

  private async cancel(open: RadarSimOrder[]): Promise<void> {
    const o = this.prng.pick(open);
    const maker = this.makers.find((m) => m.address === o.maker);
    if (maker !== undefined) await maker.cancel(o);
  }
}
