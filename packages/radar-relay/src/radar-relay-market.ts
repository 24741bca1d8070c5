import BigNumber from 'bignumber.js';
import { MaxUint256, type Provider, type TransactionReceipt } from 'ethers';
import {
  HbError,
  MarketBase,
  Secret,
  isHbError,
  resolveEndpoints,
  type BalanceRule,
  type BalanceUpdate,
  type ConnectorCapabilities,
  type ConnectorMarketOptions,
  type InFlightOrder,
  type NonceStore,
  type OpenOrder,
  type OperationTimeouts,
  type OrderUpdate,
  type PlaceOrderResult,
  type PreparedOrder,
  type ReadonlyInFlightOrder,
  type TradeFee,
  type TradeUpdate,
  type TradingRulesResult,
  type UserStreamUpdate,
} from '@hb/core/connector';
import {
  Erc20Token,
  EthereumError,
  EthereumWallet,
  GasOracle,
  NonceManager,
  TransactionSender,
  TransactionTracker,
  connectRpc,
  isEthereumError,
  verifyChainId,
  type GasSettings,
  type TrackedTransaction,
} from '@hb/ethereum';
import {
  NULL_ADDRESS,
  ZERO_EX_REVERT_DECODER,
  ZeroExError,
  ZeroExExchange,
  encodeErc20AssetData,
  hashOrder,
  orderFromSraJson,
  orderToSraJson,
  signedOrderFromSraJson,
  zeroExErrorFromRevert,
  type SignatureScheme,
  type SignedZeroExOrder,
  type ZeroExFillEvent,
  type ZeroExOrder,
} from '@hb/zero-ex';
import { RadarRelayApiClient } from './radar-relay-api-client.js';
import { RadarRelayOrderSigner } from './radar-relay-auth.js';
import {
  RADAR_RELAY_DEFAULT_ORDER_TTL_MS,
  RADAR_RELAY_EXCHANGE,
  RADAR_RELAY_MAINNET,
  RADAR_RELAY_PAGE_SIZE,
  RADAR_RELAY_URLS,
  RADAR_RELAY_WS_PATH,
  type RadarRelayUrls,
} from './radar-relay-constants.js';
import { typedRadarError } from './radar-relay-errors.js';
import { fillsOfOrder, fillsOfReceipt } from './radar-relay-exchange.js';
import { parseRadarOrder, radarRelayOrderState, type RadarOrder } from './radar-relay-order-parsers.js';
import { RadarRelayOrderBookDataSource } from './radar-relay-order-book-data-source.js';
import { RadarRelayOrderBookTracker } from './radar-relay-order-book-tracker.js';
import {
  parseMarkets,
  parseTokens,
  tradingRuleOf,
  type RadarMarket,
  type RadarToken,
} from './radar-relay-trading-rules.js';
import type { RadarRelayUserEvent } from './radar-relay-user-stream-data-source.js';
import { RADAR_RELAY_POLL_INTERVAL_MS } from './radar-relay-user-stream-tracker.js';
import {
  RADAR_RELAY_CLIENT_ORDER_IDS,
  asArray,
  asObject,
  fromBaseUnits,
  malformed,
  plainDecimal,
  toBaseUnits,
} from './radar-relay-utils.js';

/**
 * What the Radar Relay connector supports, as data: the conformance suite
 * skips only what this declares unsupported, and the README table is generated
 * from it.
 */
export const RADAR_RELAY_CAPABILITIES: ConnectorCapabilities = {
  // limit = a signed 0x order posted to the relayer; market = filled on chain against the best book orders.
  orderTypes: ['limit', 'market'],
  // The relayer publishes individual orders (by 0x order hash), not levels.
  orderBook: 'l3',
  // Radar's book events carry no sequence numbers: a dropped socket is healed by a new snapshot.
  sequencedBook: false,
  // No private stream: own orders are polled from the relayer and fills are read from chain events.
  userStream: false,
  // Cancels are on-chain transactions; cancel-all is one batchCancelOrders transaction of our orders.
  cancelAll: 'native',
  // Radar knows nothing of our client ids, but each limit order's 0x hash is computed and
  // saved with its client id before it is posted (prepareOrder + persistOrder): an order
  // whose placement outcome is unknown is found by it, after a restart too.
  lookupByClientOrderId: true,
  // Fees per fill are the gas of our own transactions and the 0x v3 protocol fee (Radar charged no relayer fee).
  reportsFillFees: true,
  orderExpiry: true,
};

/** How a {@link RadarRelayMarket} is built. */
export interface RadarRelayMarketOptions extends ConnectorMarketOptions {
  /** The wallet's private key (hex). Without it only public data works. */
  readonly privateKey?: string | Secret;
  /** JSON-RPC URL of an Ethereum node. */
  readonly rpcUrl?: string;
  /** An ethers provider instead of `rpcUrl` (in-process chains in tests). */
  readonly provider?: Provider;
  /** The chain the relayer's orders are for. Default 1 (mainnet). */
  readonly chainId?: number;
  /**
   * The 0x v3 Exchange the relayer settles on. Default: the mainnet Exchange on
   * chain 1; on other chains, the one the relayer names in its unsigned orders.
   */
  readonly exchangeAddress?: string;
  /** Approve the 0x ERC20Proxy (unlimited) for every token of the market's pairs at start. Default false. */
  readonly approveAllowances?: boolean;
  /** How maker orders are signed: `ethSign` (Radar's clients did) or `eip712`. */
  readonly signatureScheme?: SignatureScheme;
  /** Lifetime of a limit order given no `expiresAt`, ms. Default 24 h. */
  readonly orderTtlMs?: number;
  /** Blocks a transaction needs before it counts (fills, cancels, approvals). Default 1. */
  readonly confirmations?: number;
  /** Gas caps. */
  readonly gas?: GasSettings;
  /** Where transaction nonces are saved (core's FileNonceStore survives a restart). Default: memory. */
  readonly nonceStore?: NonceStore;
  /** How often receipts and balances are polled on chain, ms. Default 1000. */
  readonly chainPollIntervalMs?: number;
}

/** What the market knows of the chain once started with a key. */
interface ChainContext {
  readonly provider: Provider;
  readonly wallet: EthereumWallet;
  readonly signer: RadarRelayOrderSigner;
  readonly sender: TransactionSender;
  readonly tracker: TransactionTracker;
  readonly gas: GasOracle;
  readonly exchange: ZeroExExchange;
  readonly erc20Proxy: string;
  readonly chainId: number;
}

/** A signed maker order as kept in `PreparedOrder.payload` (strings only, so it survives JSON). */
const PAYLOAD_ORDER = 'order';
const PAYLOAD_FROM_BLOCK = 'fromBlock';

/** A wallet allowance at or above this counts as "approved" (an unlimited approval stays above it). */
const APPROVED = MaxUint256 / 2n;

/** The asset gas and the protocol fee are paid in. */
const ETH = 'ETH';

/**
 * Radar Relay (0x v3 open order book relayer). Limit orders are 0x orders the
 * relayer builds, this market checks and signs, and posts back; market orders
 * are filled on chain against the relayer's best orders (fill-or-kill, with the
 * v3 protocol fee); cancels are on-chain transactions. Orders are followed by
 * polling the relayer and reading the Exchange's Fill logs; balances are the
 * wallet and its allowances for the ERC20Proxy. State, events and polling are
 * core's `MarketBase`.
 */
export class RadarRelayMarket extends MarketBase<RadarRelayUserEvent> {
  readonly name = RADAR_RELAY_EXCHANGE;
  readonly capabilities = RADAR_RELAY_CAPABILITIES;
  /** The raw REST client. */
  readonly api: RadarRelayApiClient;
  readonly urls: RadarRelayUrls;
  protected override readonly clientOrderIds = RADAR_RELAY_CLIENT_ORDER_IDS;

  private readonly rOptions: RadarRelayMarketOptions;
  private readonly wallet: EthereumWallet | undefined;
  private readonly hasKey: boolean;
  private readonly walletError: unknown;
  private chain: ChainContext | undefined;
  private chainPromise: Promise<ChainContext> | undefined;
  private marketsPromise: Promise<readonly RadarMarket[]> | undefined;
  private readonly marketsById = new Map<string, RadarMarket>();
  private readonly tokens = new Map<string, RadarToken>();
  private readonly allowances = new Map<string, bigint>();
  private allowancesChecked = false;
  /** Chain time minus local time, ms (the chain decides expiry). */
  private chainClockOffsetMs = 0;
  /** Market orders' transactions by client order id (their hash is the exchange id once sent). */
  private readonly marketTxs = new Map<string, TrackedTransaction>();
  private readonly blockTimes = new Map<number, number>();
  /** Signed orders read from the relayer by hash (orders another process placed). */
  private readonly signedByHash = new Map<string, SignedZeroExOrder>();
  private dataSource: RadarRelayOrderBookDataSource | undefined;

  constructor(options: RadarRelayMarketOptions) {
    super({ fastPollIntervalMs: RADAR_RELAY_POLL_INTERVAL_MS, ...options });
    this.rOptions = options;
    this.urls = resolveEndpoints({ production: RADAR_RELAY_URLS }, options, (ws, base) => ({
      ...base,
      ws: `${ws}${RADAR_RELAY_WS_PATH}`,
    }));
    this.api = new RadarRelayApiClient({ restUrl: this.urls.rest, timeoutMs: options.requestTimeoutMs });
    const key = options.privateKey;
    this.hasKey = key !== undefined && key !== '';
    try {
      this.wallet = this.hasKey ? new EthereumWallet(key!) : undefined;
    } catch (e) {
      // A malformed key is the account's refusal: start() rejects with it (typed
      // `authentication`), as a wrong API key does on an exchange.
      this.walletError = e;
    }
  }

  /** The wallet's address, when a key was given. */
  get address(): string | undefined {
    return this.wallet?.address;
  }

  /** The chain the market trades on (the option, else mainnet). */
  get chainId(): number {
    return this.rOptions.chainId ?? RADAR_RELAY_MAINNET.chainId;
  }

  override async start(): Promise<void> {
    if (this.walletError !== undefined) throw this.walletError;
    if (this.wallet !== undefined) {
      await this.connectChain();
      if (this.rOptions.approveAllowances === true) {
        await this.loadMarkets();
        await this.approveAllowances();
      }
    }
    await super.start();
  }

  override async stop(): Promise<void> {
    await super.stop();
    this.chain?.tracker.stop();
    await this.dataSource?.close();
    this.dataSource = undefined;
  }

  // ---------------------------------------------------------------- venue facts

  protected override hasAccount(): boolean {
    return this.hasKey;
  }

  protected override balanceRule(): BalanceRule {
    // A maker order moves nothing until filled, but the relayer drops orders the
    // wallet no longer covers (UNFUNDED): our open orders count as locked.
    return { spendable: ['wallet', 'allowance'], openOrdersLock: true };
  }

  protected override readinessChecks(): Record<string, boolean> {
    if (this.wallet === undefined) return {};
    return { chain_id_verified: this.chain !== undefined, allowances_checked: this.allowancesChecked };
  }

  protected override defaultTimeouts(): Partial<OperationTimeouts> {
    // A fill or cancel waits for its transaction to be mined.
    return { prepareOrder: 30_000, sendOrder: 180_000, sendCancel: 180_000, fetchOrderTrades: 30_000 };
  }

  // ---------------------------------------------------------------- chain

  private connectChain(): Promise<ChainContext> {
    this.chainPromise ??= this.openChain().then(
      (c) => {
        this.chain = c;
        return c;
      },
      (e: unknown) => {
        this.chainPromise = undefined;
        throw e;
      },
    );
    return this.chainPromise;
  }

  private async openChain(): Promise<ChainContext> {
    const wallet = this.wallet;
    if (wallet === undefined) throw new HbError('authentication', `${RADAR_RELAY_EXCHANGE}: no private key`);
    const chainId = this.chainId;
    let provider: Provider;
    if (this.rOptions.provider !== undefined) {
      provider = this.rOptions.provider;
      await verifyChainId(provider, chainId);
    } else if (this.rOptions.rpcUrl !== undefined && this.rOptions.rpcUrl !== '') {
      provider = await connectRpc(this.rOptions.rpcUrl, {
        chainId,
        pollingIntervalMs: this.rOptions.chainPollIntervalMs,
      });
    } else {
      throw new HbError(
        'authentication',
        `${RADAR_RELAY_EXCHANGE}: an Ethereum node is needed to trade (rpcUrl, or HB_ETHEREUM_RPC_URL in the CLI)`,
        { exchange: RADAR_RELAY_EXCHANGE, retryable: false },
      );
    }
    const tracker = new TransactionTracker(provider, {
      confirmations: this.rOptions.confirmations ?? 1,
      pollIntervalMs: this.rOptions.chainPollIntervalMs ?? 1_000,
      decoder: ZERO_EX_REVERT_DECODER,
    });
    const gas = new GasOracle(provider, this.rOptions.gas ?? {}, ZERO_EX_REVERT_DECODER);
    const sender = new TransactionSender({
      wallet,
      provider,
      chainId,
      nonces: new NonceManager(provider, {
        chainId,
        ...(this.rOptions.nonceStore ? { store: this.rOptions.nonceStore } : {}),
      }),
      tracker,
      gas,
      decoder: ZERO_EX_REVERT_DECODER,
    });
    const exchangeAddress = this.rOptions.exchangeAddress ?? (await this.discoverExchange(chainId));
    const exchange = new ZeroExExchange({ version: 'v3', address: exchangeAddress, provider, sender, gas });
    const erc20Proxy = await exchange.erc20ProxyAddress();
    await this.syncChainClock(provider);
    return {
      provider,
      wallet,
      signer: new RadarRelayOrderSigner(wallet, this.rOptions.signatureScheme ?? 'ethSign'),
      sender,
      tracker,
      gas,
      exchange,
      erc20Proxy,
      chainId,
    };
  }

  /**
   * The Exchange of the relayer: the mainnet one on chain 1; elsewhere the one
   * the relayer names in an unsigned order (the limit-order helper only builds
   * an order, nothing is placed), which must be for our chain.
   */
  private async discoverExchange(chainId: number): Promise<string> {
    if (chainId === RADAR_RELAY_MAINNET.chainId) return RADAR_RELAY_MAINNET.exchange;
    const markets = await this.loadMarkets();
    const m = markets.find((x) => x.active) ?? markets[0];
    if (m === undefined) throw malformed('market list (empty: cannot learn the Exchange address)');
    const unsigned = asObject(
      await this.api.limitOrder(m.id, {
        type: 'SELL',
        quantity: plainDecimal(m.minOrderSize.gt(0) ? m.minOrderSize : new BigNumber(1)),
        price: '1',
        expiration: Math.floor((Date.now() + this.chainClockOffsetMs) / 1000) + 3_600,
      }),
      'unsigned order',
    );
    const address = unsigned['exchangeAddress'];
    if (typeof address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(address))
      throw malformed('unsigned order.exchangeAddress');
    if (unsigned['chainId'] !== chainId)
      throw new EthereumError(
        'chain_mismatch',
        `the relayer's orders are for chain ${String(unsigned['chainId'])}, not chain ${chainId}`,
        { retryable: false },
      );
    return address;
  }

  private async syncChainClock(provider: Provider): Promise<void> {
    try {
      const block = await provider.getBlock('latest');
      if (block !== null) this.chainClockOffsetMs = block.timestamp * 1000 - Date.now();
    } catch {
      // The local clock stands in until the next read.
    }
  }

  /** The chain's time, unix seconds (expiry is decided by block time). */
  private chainNowSeconds(): number {
    return (Date.now() + this.chainClockOffsetMs) / 1000;
  }

  private requireChain(): ChainContext {
    if (this.chain === undefined)
      throw new HbError('authentication', `${RADAR_RELAY_EXCHANGE}: trading needs a private key and a node`, {
        exchange: RADAR_RELAY_EXCHANGE,
        retryable: false,
      });
    return this.chain;
  }

  // ---------------------------------------------------------------- markets and rules

  private loadMarkets(): Promise<readonly RadarMarket[]> {
    this.marketsPromise ??= this.fetchMarkets().catch((e: unknown) => {
      this.marketsPromise = undefined;
      throw e;
    });
    return this.marketsPromise;
  }

  private async fetchMarkets(): Promise<readonly RadarMarket[]> {
    const { markets } = await this.fetchMarketList();
    return markets;
  }

  private async fetchMarketList(): Promise<ReturnType<typeof parseMarkets>> {
    const { tokens, skipped: skippedTokens } = parseTokens(await this.api.tokens());
    const markets: RadarMarket[] = [];
    const skipped = [...skippedTokens];
    for (let page = 1; ; page++) {
      const raw = asArray(await this.api.markets(page), 'markets');
      const list = parseMarkets(raw, tokens);
      markets.push(...list.markets);
      skipped.push(...list.skipped);
      if (raw.length < RADAR_RELAY_PAGE_SIZE) break;
    }
    for (const m of markets) {
      this.marketsById.set(m.id, m);
      this.tokens.set(m.base.symbol, m.base);
      this.tokens.set(m.quote.symbol, m.quote);
    }
    return { markets, skipped };
  }

  protected async fetchTradingRules(): Promise<TradingRulesResult> {
    const { markets, skipped } = await this.fetchMarketList();
    this.marketsPromise = Promise.resolve(markets);
    return { rules: markets.map(tradingRuleOf), skipped };
  }

  private marketOf(tradingPair: string): RadarMarket {
    const m = this.marketsById.get(tradingPair);
    if (m === undefined)
      throw new HbError('invalid_order', `${RADAR_RELAY_EXCHANGE}: no market ${tradingPair}`, {
        exchange: RADAR_RELAY_EXCHANGE,
        retryable: false,
      });
    return m;
  }

  /** The tokens of the market's pairs (of every listed market when it trades none: `hb balance`). */
  private tradedTokens(): RadarToken[] {
    const out = new Map<string, RadarToken>();
    const pairs = this.tradingPairs.length > 0 ? this.tradingPairs : [...this.marketsById.keys()];
    for (const p of pairs) {
      const m = this.marketsById.get(p);
      if (m === undefined) continue;
      out.set(m.base.symbol, m.base);
      out.set(m.quote.symbol, m.quote);
    }
    return [...out.values()];
  }

  // ---------------------------------------------------------------- balances and allowances

  protected async fetchBalances(): Promise<BalanceUpdate[]> {
    if (this.wallet === undefined) return [];
    const chain = await this.connectChain();
    await this.loadMarkets();
    await this.syncChainClock(chain.provider);
    const now = this.now();
    const owner = chain.wallet.address;
    const locked = this.lockedByOpenOrders();
    const out: BalanceUpdate[] = [];
    for (const t of this.tradedTokens()) {
      const token = new Erc20Token(t.address, chain.provider, t.symbol);
      const [balance, allowance] = await Promise.all([
        token.balanceOf(owner),
        token.allowance(owner, chain.erc20Proxy),
      ]);
      this.allowances.set(t.symbol, allowance);
      const wallet = fromBaseUnits(balance, t.decimals);
      const allowed = fromBaseUnits(allowance, t.decimals);
      const lock = locked.get(t.symbol) ?? new BigNumber(0);
      out.push(
        {
          asset: t.symbol,
          source: 'wallet',
          total: wallet,
          available: BigNumber.max(wallet.minus(lock), 0),
          timestamp: now,
        },
        {
          asset: t.symbol,
          source: 'allowance',
          total: allowed,
          available: BigNumber.max(allowed.minus(lock), 0),
          timestamp: now,
        },
      );
    }
    let eth: bigint;
    try {
      eth = await chain.provider.getBalance(owner);
    } catch (e) {
      throw classifyChainError(e);
    }
    const ethAmount = fromBaseUnits(eth, 18);
    // ETH (gas, protocol fee) is sent as value, never moved by the proxy: no approval
    // limits it, so its allowance source is the wallet itself.
    out.push(
      { asset: ETH, source: 'wallet', total: ethAmount, available: ethAmount, timestamp: now },
      { asset: ETH, source: 'allowance', total: ethAmount, available: ethAmount, timestamp: now },
    );
    this.allowancesChecked = true;
    return out;
  }

  /** What our open maker orders would move if filled, per asset (they count as locked). */
  private lockedByOpenOrders(): Map<string, BigNumber> {
    const out = new Map<string, BigNumber>();
    const add = (asset: string, v: BigNumber) => out.set(asset, (out.get(asset) ?? new BigNumber(0)).plus(v));
    for (const o of this.activeOrders) {
      if (o.orderType === 'market') continue;
      if (o.side === 'sell') add(o.baseAsset, o.remainingAmount);
      else if (o.price.isFinite()) add(o.quoteAsset, o.remainingAmount.times(o.price));
    }
    return out;
  }

  /** Tokens of the market's pairs whose ERC20Proxy allowance is not (effectively unlimited) approved. */
  async missingAllowances(): Promise<string[]> {
    const chain = await this.connectChain();
    await this.loadMarkets();
    const out: string[] = [];
    for (const t of this.tradedTokens()) {
      const allowance = await new Erc20Token(t.address, chain.provider, t.symbol).allowance(
        chain.wallet.address,
        chain.erc20Proxy,
      );
      this.allowances.set(t.symbol, allowance);
      if (allowance < APPROVED) out.push(t.symbol);
    }
    return out;
  }

  /**
   * Approves the 0x ERC20Proxy (unlimited) for each token of the market's pairs
   * that is not approved yet (or only `assets`), one transaction each, waiting
   * until each is mined. Returns the transaction hashes by asset. The CLI asks
   * the user first; bots pass `approveAllowances: true` or call this.
   */
  async approveAllowances(assets?: readonly string[]): Promise<Record<string, string>> {
    const chain = await this.connectChain();
    await this.loadMarkets();
    const want = assets === undefined ? await this.missingAllowances() : [...assets];
    const out: Record<string, string> = {};
    for (const symbol of want) {
      const t = this.tokens.get(symbol);
      if (t === undefined)
        throw new HbError('invalid_order', `${RADAR_RELAY_EXCHANGE}: no token ${symbol} on this market`, {
          retryable: false,
        });
      const tx = await new Erc20Token(t.address, chain.provider, t.symbol).approve(
        chain.sender,
        chain.erc20Proxy,
      );
      await tx.wait('confirmed', this.timeoutFor('sendOrder'));
      out[symbol] = tx.hash;
      this.allowances.set(symbol, MaxUint256);
    }
    return out;
  }

  // ---------------------------------------------------------------- orders

  /**
   * Limit orders: asks the relayer for the unsigned 0x order, checks every field
   * against what was asked (never signs a relayer's word blindly), checks the
   * wallet covers it, signs it. The hash is the order's id before it is posted.
   * Market orders have nothing to sign ahead (their transaction is built when sent).
   */
  protected override async prepareOrder(order: ReadonlyInFlightOrder): Promise<PreparedOrder> {
    if (order.orderType === 'market') return {};
    const chain = this.requireChain();
    const m = this.marketOf(order.tradingPair);
    const ttl = this.rOptions.orderTtlMs ?? RADAR_RELAY_DEFAULT_ORDER_TTL_MS;
    const expiresAt = order.expiresAt ?? Math.floor(Date.now() + this.chainClockOffsetMs + ttl);
    const expiration = Math.ceil(expiresAt / 1000);
    const sell = order.side === 'sell';
    let raw: unknown;
    try {
      raw = await this.api.limitOrder(m.id, {
        type: sell ? 'SELL' : 'BUY',
        quantity: plainDecimal(order.amount),
        price: plainDecimal(order.price),
        expiration,
      });
    } catch (e) {
      throw isHbError(e) ? typedRadarError(e) : e;
    }
    const unsigned = this.readUnsignedOrder(raw, chain);
    const base = toBaseUnits(order.amount, m.base.decimals);
    const quote = toBaseUnits(order.amount.times(order.price), m.quote.decimals);
    const expect = {
      makerAssetData: encodeErc20AssetData(sell ? m.base.address : m.quote.address).toLowerCase(),
      takerAssetData: encodeErc20AssetData(sell ? m.quote.address : m.base.address).toLowerCase(),
      makerAssetAmount: sell ? base : quote,
      takerAssetAmount: sell ? quote : base,
    };
    const wrong: string[] = [];
    if (unsigned.makerAssetData.toLowerCase() !== expect.makerAssetData) wrong.push('makerAssetData');
    if (unsigned.takerAssetData.toLowerCase() !== expect.takerAssetData) wrong.push('takerAssetData');
    if (unsigned.makerAssetAmount !== expect.makerAssetAmount) wrong.push('makerAssetAmount');
    if (unsigned.takerAssetAmount !== expect.takerAssetAmount) wrong.push('takerAssetAmount');
    if (unsigned.expirationTimeSeconds !== BigInt(expiration)) wrong.push('expirationTimeSeconds');
    if (unsigned.takerAddress.toLowerCase() !== NULL_ADDRESS) wrong.push('takerAddress');
    if (unsigned.senderAddress.toLowerCase() !== NULL_ADDRESS) wrong.push('senderAddress');
    if (unsigned.makerFee !== 0n) wrong.push('makerFee (maker fees are not supported)');
    if (wrong.length > 0)
      throw new ZeroExError(
        'invalid_order',
        `${RADAR_RELAY_EXCHANGE}: the relayer's unsigned order differs from the order asked for in ${wrong.join(', ')}`,
      );
    const { signed, orderHash } = await chain.signer.sign(unsigned);
    let fromBlock = 0;
    try {
      fromBlock = await chain.provider.getBlockNumber();
    } catch (e) {
      throw classifyChainError(e);
    }
    return {
      exchangeOrderId: orderHash,
      signature: signed.signature,
      expiresAt: expiration * 1000,
      payload: {
        [PAYLOAD_ORDER]: JSON.stringify(orderToSraJson(signed, 'v3')),
        [PAYLOAD_FROM_BLOCK]: String(fromBlock),
      },
    };
  }

  /** Radar's unsigned order (`makerAddress`/`signature` "SET"), with our address, for our chain and Exchange. */
  private readUnsignedOrder(raw: unknown, chain: ChainContext): ZeroExOrder {
    const o = { ...asObject(raw, 'unsigned order') };
    delete o['signature'];
    o['makerAddress'] = chain.wallet.address.toLowerCase();
    let order: ZeroExOrder;
    try {
      order = orderFromSraJson(o, { version: 'v3', chainId: chain.chainId });
    } catch (e) {
      throw malformed(`unsigned order: ${(e as Error).message}`, e);
    }
    if (order.exchangeAddress.toLowerCase() !== chain.exchange.address.toLowerCase())
      throw new ZeroExError(
        'invalid_order',
        `${RADAR_RELAY_EXCHANGE}: the relayer's order is for Exchange ${order.exchangeAddress}, not ${chain.exchange.address}`,
      );
    return order;
  }

  /** Typed refusal before anything is signed or sent: the wallet or its allowance does not cover `amount`. */
  private async assertFunds(
    chain: ChainContext,
    t: RadarToken,
    amount: bigint,
    party: 'maker' | 'taker',
  ): Promise<void> {
    const token = new Erc20Token(t.address, chain.provider, t.symbol);
    const owner = chain.wallet.address;
    const [balance, allowance] = await Promise.all([
      token.balanceOf(owner),
      token.allowance(owner, chain.erc20Proxy),
    ]);
    this.allowances.set(t.symbol, allowance);
    const need = fromBaseUnits(amount, t.decimals).toFixed();
    if (balance < amount)
      throw new ZeroExError(
        'unfunded',
        `${RADAR_RELAY_EXCHANGE}: the wallet holds ${fromBaseUnits(balance, t.decimals).toFixed()} ${t.symbol}, the order needs ${need}`,
        { party, token: t.address },
      );
    if (allowance < amount)
      throw new ZeroExError(
        'allowance_missing',
        `${RADAR_RELAY_EXCHANGE}: the 0x ERC20Proxy may move ${fromBaseUnits(allowance, t.decimals).toFixed()} ${t.symbol}, the order needs ${need}; approve it first (hb ... --approve, or approveAllowances())`,
        { party, token: t.address },
      );
  }

  protected async sendOrder(order: InFlightOrder): Promise<PlaceOrderResult> {
    if (order.orderType === 'market') return this.fillMarketOrder(order);
    const signed = await this.signedOrderOf(order);
    // Funds and allowance are the relayer's to check (it refuses, typed: unfunded /
    // allowance missing); a maker order moves nothing, so a refusal costs nothing.
    try {
      await this.api.postOrder(orderToSraJson(signed, 'v3'));
    } catch (e) {
      throw isHbError(e) ? typedRadarError(e, order.exchangeOrderId) : e;
    }
    return { exchangeOrderId: hashOrder(signed, 'v3').toLowerCase(), timestamp: this.now() };
  }

  /**
   * The order as signed: from its prepared payload (ours, this process or a
   * restored one), else, for an order known only by its hash (placed by another
   * process, `hb cancel`), from the relayer's copy, checked against the hash.
   */
  private async signedOrderOf(order: ReadonlyInFlightOrder): Promise<SignedZeroExOrder> {
    const json = order.prepared?.payload?.[PAYLOAD_ORDER];
    if (json !== undefined) return signedOrderFromSraJson(JSON.parse(json) as unknown, { version: 'v3' });
    const hash = order.exchangeOrderId?.toLowerCase();
    if (hash === undefined || !/^0x[0-9a-f]{64}$/.test(hash))
      throw new HbError(
        'invalid_order',
        `${RADAR_RELAY_EXCHANGE}: order ${order.clientOrderId} was never signed`,
        {
          retryable: false,
        },
      );
    const known = this.signedByHash.get(hash);
    if (known !== undefined) return known;
    const relayer = parseRadarOrder(await this.api.order(hash), 'order');
    const signed = this.readRelayerSignedOrder(relayer);
    if (signed === undefined) throw malformed(`order ${hash} (the relayer's copy carries no signed order)`);
    return signed;
  }

  /** The signed 0x order a relayer entry carries, when it hashes to the entry's hash (kept for later). */
  private readRelayerSignedOrder(order: RadarOrder): SignedZeroExOrder | undefined {
    if (order.signedOrder === undefined) return undefined;
    let signed: SignedZeroExOrder;
    try {
      signed = signedOrderFromSraJson(order.signedOrder, { version: 'v3' });
    } catch (e) {
      throw malformed(`order ${order.orderHash}.signedOrder: ${(e as Error).message}`, e);
    }
    if (hashOrder(signed, 'v3').toLowerCase() !== order.orderHash)
      throw malformed(`order ${order.orderHash}.signedOrder (hashes to another order)`);
    this.signedByHash.set(order.orderHash, signed);
    return signed;
  }

  /**
   * A market order: the relayer's best orders for the amount, checked, then
   * filled on chain with `marketBuyOrdersFillOrKill` / `marketSellOrdersFillOrKill`
   * (all or nothing) and the protocol fee as value. Resolves once mined, with
   * the fills from the receipt's Fill logs.
   */
  private async fillMarketOrder(order: InFlightOrder): Promise<PlaceOrderResult> {
    const chain = this.requireChain();
    const m = this.marketOf(order.tradingPair);
    const buy = order.side === 'buy';
    let raw: unknown;
    try {
      raw = await this.api.marketOrder(m.id, {
        type: buy ? 'BUY' : 'SELL',
        quantity: plainDecimal(order.amount),
      });
    } catch (e) {
      throw isHbError(e) ? typedRadarError(e) : e;
    }
    const body = asObject(raw, 'market order');
    const baseData = encodeErc20AssetData(m.base.address).toLowerCase();
    const quoteData = encodeErc20AssetData(m.quote.address).toLowerCase();
    const now = BigInt(Math.floor(this.chainNowSeconds()));
    const orders = asArray(body['orders'], 'market order.orders')
      .map((o) => {
        let s: SignedZeroExOrder;
        try {
          s = signedOrderFromSraJson(o, { version: 'v3', chainId: chain.chainId });
        } catch (e) {
          throw malformed(`market order.orders[]: ${(e as Error).message}`, e);
        }
        // A buy takes asks (maker gives base), a sell takes bids (maker gives quote).
        const okSide = buy
          ? s.makerAssetData.toLowerCase() === baseData && s.takerAssetData.toLowerCase() === quoteData
          : s.makerAssetData.toLowerCase() === quoteData && s.takerAssetData.toLowerCase() === baseData;
        if (!okSide)
          throw malformed(
            `market order: order ${hashOrder(s, 'v3')} is not on the ${buy ? 'ask' : 'bid'} side of ${m.id}`,
          );
        if (s.exchangeAddress.toLowerCase() !== chain.exchange.address.toLowerCase())
          throw malformed(`market order: order for another Exchange ${s.exchangeAddress}`);
        return s;
      })
      .filter((s) => s.expirationTimeSeconds > now);
    if (orders.length === 0)
      throw new ZeroExError(
        'incomplete_fill',
        `${RADAR_RELAY_EXCHANGE}: no order on the book to fill ${m.id}`,
      );
    const amount = toBaseUnits(order.amount, m.base.decimals);
    // What we pay: base for a sell; for a buy the quote of taking `amount` base through the orders.
    const pay = buy ? quoteToBuy(orders, amount) : amount;
    await this.assertFunds(chain, buy ? m.quote : m.base, pay, 'taker');
    let tx: TrackedTransaction;
    try {
      // Simulated first by ZeroExExchange: a fill the Exchange would refuse fails typed, before any gas.
      // The protocol fee (multiplier x max fee per gas, per order) goes as value; the Exchange refunds the rest.
      tx = buy
        ? await chain.exchange.marketBuyOrdersFillOrKill(orders, amount)
        : await chain.exchange.marketSellOrdersFillOrKill(orders, amount);
    } catch (e) {
      throw chainOrderError(e);
    }
    this.marketTxs.set(order.clientOrderId, tx);
    let receipt: TransactionReceipt;
    try {
      receipt = (await chain.exchange.outcome(tx, 'confirmed', this.timeoutFor('sendOrder'))).receipt;
    } catch (e) {
      throw chainOrderError(e);
    }
    const trades = await this.takerTrades(order, m, tx.hash, receipt);
    return {
      exchangeOrderId: tx.hash.toLowerCase(),
      timestamp: trades[0]?.timestamp ?? this.now(),
      trades,
      update: {
        clientOrderId: order.clientOrderId,
        exchangeOrderId: tx.hash.toLowerCase(),
        tradingPair: order.tradingPair,
        newState: 'FILLED',
        timestamp: trades[0]?.timestamp ?? this.now(),
      },
    };
  }

  protected async sendCancel(order: InFlightOrder): Promise<OrderUpdate | undefined> {
    if (order.orderType === 'market') return undefined; // fill-or-kill: nothing rests to cancel
    const chain = this.requireChain();
    const signed = await this.signedOrderOf(order);
    let tx: TrackedTransaction;
    try {
      tx = await chain.exchange.cancelOrder(signed);
      await tx.wait('confirmed', this.timeoutFor('sendCancel'));
    } catch (e) {
      throw chainOrderError(e);
    }
    // The cancel is mined; the order's state (a fill may have won the race) comes from the chain.
    return this.chainOrderUpdate(order, signed);
  }

  protected override async cancelAllOnExchange(tradingPair: string): Promise<void> {
    const chain = this.requireChain();
    const mine = this.activeOrders.filter(
      (o) => o.tradingPair === tradingPair && o.orderType !== 'market' && o.exchangeOrderId !== undefined,
    );
    if (mine.length === 0) return;
    const signed = await Promise.all(mine.map((o) => this.signedOrderOf(o)));
    try {
      const tx = await chain.exchange.batchCancelOrders(signed);
      await tx.wait('confirmed', this.timeoutFor('sendCancel'));
    } catch (e) {
      throw chainOrderError(e);
    }
  }

  /**
   * An order's state: for a market order its transaction's; for a limit order
   * the chain's word on fills, cancels and expiry, and the relayer's on the rest
   * (UNFUNDED, or never received: `order_not_found`).
   */
  protected async fetchOrderStatus(order: InFlightOrder): Promise<OrderUpdate> {
    if (order.orderType === 'market') return this.marketOrderStatus(order);
    const signed = await this.signedOrderOf(order);
    const hash = hashOrder(signed, 'v3').toLowerCase();
    let relayer: RadarOrder | undefined;
    try {
      relayer = parseRadarOrder(await this.api.order(hash), 'order');
    } catch (e) {
      if (!(isHbError(e) && e.reason === 'order_not_found')) throw e;
    }
    const onChain = await this.chainOrderUpdate(order, signed);
    if (onChain.newState !== 'OPEN' && onChain.newState !== 'PARTIALLY_FILLED') return onChain;
    if (relayer === undefined) {
      if (onChain.newState === 'PARTIALLY_FILLED') return onChain;
      throw new HbError(
        'order_not_found',
        `${RADAR_RELAY_EXCHANGE}: the relayer does not know order ${hash}`,
        {
          exchange: RADAR_RELAY_EXCHANGE,
          httpStatus: 404,
        },
      );
    }
    if (relayer.state === 'UNFUNDED' || relayer.state === 'EXPIRED' || relayer.state === 'CANCELLED') {
      return {
        ...onChain,
        newState: radarRelayOrderState(relayer.state, onChain.newState === 'PARTIALLY_FILLED'),
        reason:
          relayer.state === 'UNFUNDED'
            ? 'unfunded: the wallet no longer covers the order'
            : relayer.state.toLowerCase(),
      };
    }
    return onChain;
  }

  /** The order as the Exchange sees it: status and filled amount (converted to base). */
  private async chainOrderUpdate(
    order: ReadonlyInFlightOrder,
    signed: SignedZeroExOrder,
  ): Promise<OrderUpdate> {
    const chain = this.requireChain();
    const m = this.marketOf(order.tradingPair);
    const info = await chain.exchange.getOrderInfo(signed);
    // getOrderInfo counts the taker asset: base for a bid, quote for an ask.
    const filledBase =
      order.side === 'buy'
        ? info.orderTakerAssetFilledAmount
        : (info.orderTakerAssetFilledAmount * signed.makerAssetAmount) / signed.takerAssetAmount;
    const cumulative = fromBaseUnits(filledBase, m.base.decimals);
    const partially = filledBase > 0n;
    const newState =
      info.orderStatus === 5
        ? 'FILLED'
        : info.orderStatus === 6
          ? 'CANCELED'
          : info.orderStatus === 4
            ? 'EXPIRED'
            : info.orderStatus === 3
              ? partially
                ? 'PARTIALLY_FILLED'
                : 'OPEN'
              : 'FAILED';
    return {
      clientOrderId: order.clientOrderId,
      exchangeOrderId: info.orderHash,
      tradingPair: order.tradingPair,
      newState,
      timestamp: this.now(),
      cumulativeFilledAmount: cumulative,
      ...(newState === 'FAILED'
        ? { reason: `the Exchange calls the order invalid (status ${info.orderStatus})` }
        : {}),
    };
  }

  private async marketOrderStatus(order: InFlightOrder): Promise<OrderUpdate> {
    const receipt = await this.marketReceipt(order);
    const base = {
      clientOrderId: order.clientOrderId,
      tradingPair: order.tradingPair,
      timestamp: this.now(),
    };
    if (receipt === undefined)
      throw new HbError(
        'timeout',
        `${RADAR_RELAY_EXCHANGE}: the fill transaction of ${order.clientOrderId} is not mined yet`,
      );
    return receipt.status === 1
      ? {
          ...base,
          exchangeOrderId: receipt.hash.toLowerCase(),
          newState: 'FILLED',
          cumulativeFilledAmount: order.amount,
        }
      : {
          ...base,
          exchangeOrderId: receipt.hash.toLowerCase(),
          newState: 'FAILED',
          reason: 'the fill transaction reverted',
        };
  }

  /** The market order's receipt: from its tracked transaction, or by its hash after a restart. */
  private async marketReceipt(order: ReadonlyInFlightOrder): Promise<TransactionReceipt | undefined> {
    const chain = this.requireChain();
    const tx = this.marketTxs.get(order.clientOrderId);
    const hash = tx?.hash ?? order.exchangeOrderId;
    if (hash === undefined)
      throw new HbError(
        'order_not_found',
        `${RADAR_RELAY_EXCHANGE}: no fill transaction was sent for ${order.clientOrderId}`,
        {
          exchange: RADAR_RELAY_EXCHANGE,
        },
      );
    try {
      return (await chain.provider.getTransactionReceipt(hash)) ?? undefined;
    } catch (e) {
      throw classifyChainError(e);
    }
  }

  protected async fetchOrderTrades(order: InFlightOrder): Promise<TradeUpdate[]> {
    const m = this.marketOf(order.tradingPair);
    if (order.orderType === 'market') {
      const receipt = await this.marketReceipt(order);
      if (receipt === undefined || receipt.status !== 1) return [];
      return this.takerTrades(order, m, receipt.hash, receipt);
    }
    const chain = this.requireChain();
    const signed = await this.signedOrderOf(order);
    const hash = hashOrder(signed, 'v3').toLowerCase();
    const fromBlock = Number(order.prepared?.payload?.[PAYLOAD_FROM_BLOCK] ?? '0');
    const fills = await fillsOfOrder(
      chain.provider,
      chain.exchange.address,
      hash,
      Number.isSafeInteger(fromBlock) ? fromBlock : 0,
    );
    const out: TradeUpdate[] = [];
    for (const f of fills) out.push(await this.makerTrade(order, m, f));
    return out;
  }

  /** One Fill of our resting order: no fee (Radar charged makers nothing; a maker pays no gas on fills). */
  private async makerTrade(
    order: ReadonlyInFlightOrder,
    m: RadarMarket,
    f: ZeroExFillEvent,
  ): Promise<TradeUpdate> {
    const sell = order.side === 'sell';
    const base = fromBaseUnits(sell ? f.makerAssetFilledAmount : f.takerAssetFilledAmount, m.base.decimals);
    const quote = fromBaseUnits(sell ? f.takerAssetFilledAmount : f.makerAssetFilledAmount, m.quote.decimals);
    return {
      tradeId: `${f.transactionHash.toLowerCase()}:${f.logIndex}`,
      clientOrderId: order.clientOrderId,
      exchangeOrderId: f.orderHash,
      tradingPair: order.tradingPair,
      fillBaseAmount: base,
      fillQuoteAmount: quote,
      fillPrice: base.gt(0) ? quote.div(base) : order.price,
      fee: { amount: fromBaseUnits(f.makerFeePaid, 18), asset: m.quote.symbol, kind: 'trading' },
      isMaker: true,
      timestamp: await this.blockTime(f.blockNumber),
    };
  }

  /**
   * Our market order's fills from its receipt: one per maker order filled, each
   * with the protocol fee it paid (ETH), and the transaction's gas (ETH) on the
   * first, so the order's fees sum to exactly what the wallet paid.
   */
  private async takerTrades(
    order: ReadonlyInFlightOrder,
    m: RadarMarket,
    txHash: string,
    receipt: TransactionReceipt | undefined,
  ): Promise<TradeUpdate[]> {
    const chain = this.requireChain();
    const r = receipt ?? (await chain.provider.getTransactionReceipt(txHash));
    if (r === null || r === undefined) return [];
    const me = chain.wallet.address.toLowerCase();
    const fills = fillsOfReceipt(r.logs, chain.exchange.address).filter(
      (f) => f.takerAddress.toLowerCase() === me,
    );
    const gas = fromBaseUnits(r.gasUsed * r.gasPrice, 18);
    const buy = order.side === 'buy';
    const out: TradeUpdate[] = [];
    for (let i = 0; i < fills.length; i++) {
      const f = fills[i]!;
      const base = fromBaseUnits(buy ? f.makerAssetFilledAmount : f.takerAssetFilledAmount, m.base.decimals);
      const quote = fromBaseUnits(
        buy ? f.takerAssetFilledAmount : f.makerAssetFilledAmount,
        m.quote.decimals,
      );
      const fees: TradeFee[] = [
        { amount: fromBaseUnits(f.takerFeePaid, 18), asset: m.quote.symbol, kind: 'trading' },
        { amount: fromBaseUnits(f.protocolFeePaid, 18), asset: ETH, kind: 'protocol' },
      ];
      if (i === 0) fees.push({ amount: gas, asset: ETH, kind: 'gas' });
      out.push({
        tradeId: `${f.transactionHash.toLowerCase()}:${f.logIndex}`,
        clientOrderId: order.clientOrderId,
        exchangeOrderId: txHash.toLowerCase(),
        tradingPair: order.tradingPair,
        fillBaseAmount: base,
        fillQuoteAmount: quote,
        fillPrice: base.gt(0) ? quote.div(base) : new BigNumber(NaN),
        fee: fees[0]!,
        additionalFees: fees.slice(1),
        isMaker: false,
        timestamp: await this.blockTime(f.blockNumber),
      });
    }
    return out;
  }

  private async blockTime(blockNumber: number): Promise<number> {
    const cached = this.blockTimes.get(blockNumber);
    if (cached !== undefined) return cached;
    try {
      const block = await this.requireChain().provider.getBlock(blockNumber);
      const t = block === null ? this.now() : block.timestamp * 1000;
      this.blockTimes.set(blockNumber, t);
      return t;
    } catch {
      return this.now();
    }
  }

  /** The wallet's orders the relayer lists as open (ours or another tool's). */
  async fetchOpenOrders(tradingPair?: string): Promise<OpenOrder[]> {
    if (this.wallet === undefined) return [];
    await this.loadMarkets();
    const byTokens = new Map<string, RadarMarket>();
    for (const m of this.marketsById.values()) byTokens.set(`${m.base.address}/${m.quote.address}`, m);
    const out: OpenOrder[] = [];
    for (let page = 1; ; page++) {
      const raw = asArray(await this.api.accountOrders(this.wallet.address, page), 'account orders');
      for (const entry of raw) {
        const o = asObject(entry, 'account order');
        const order = parseRadarOrder(o, 'account order');
        if (order.state !== 'OPEN') continue;
        // Kept so that an order placed by another process can be cancelled (`hb cancel`).
        this.readRelayerSignedOrder(order);
        const base = typeof o['baseTokenAddress'] === 'string' ? o['baseTokenAddress'].toLowerCase() : '';
        const quote = typeof o['quoteTokenAddress'] === 'string' ? o['quoteTokenAddress'].toLowerCase() : '';
        const m = byTokens.get(`${base}/${quote}`);
        if (m === undefined || (tradingPair !== undefined && m.id !== tradingPair)) continue;
        const amount = this.originalBase(order, m) ?? order.remainingBase;
        out.push({
          clientOrderId: this.orderByHash(order.orderHash)?.clientOrderId,
          exchangeOrderId: order.orderHash,
          tradingPair: m.id,
          side: order.side,
          orderType: 'limit',
          price: order.price,
          amount,
          filledAmount: BigNumber.max(amount.minus(order.remainingBase), 0),
          state: amount.gt(order.remainingBase) ? 'PARTIALLY_FILLED' : 'OPEN',
          timestamp: order.createdAt ?? this.now(),
        });
      }
      if (raw.length < RADAR_RELAY_PAGE_SIZE) break;
    }
    return out;
  }

  /** The order's original base amount, from its signed order when the entry carries it. */
  private originalBase(order: RadarOrder, m: RadarMarket): BigNumber | undefined {
    const s = order.signedOrder;
    const units = s?.[order.side === 'sell' ? 'makerAssetAmount' : 'takerAssetAmount'];
    return typeof units === 'string' && /^[0-9]+$/.test(units)
      ? fromBaseUnits(BigInt(units), m.base.decimals)
      : undefined;
  }

  private orderByHash(hash: string): ReadonlyInFlightOrder | undefined {
    for (const o of this.inFlightOrders.values()) if (o.exchangeOrderId?.toLowerCase() === hash) return o;
    return undefined;
  }

  protected createOrderBookTracker(): RadarRelayOrderBookTracker {
    this.dataSource = new RadarRelayOrderBookDataSource({
      api: this.api,
      wsUrl: this.urls.ws,
      markets: () => this.loadMarkets(),
      nowSeconds: () => this.chainNowSeconds(),
      reconnectMinDelayMs: this.rOptions.reconnectMinDelayMs,
      reconnectMaxDelayMs: this.rOptions.reconnectMaxDelayMs,
      deadAfterMs: this.liveness.socketDeadAfterMs,
      pingIntervalMs: this.liveness.socketPingIntervalMs,
      onProtocolError: (e) => this.reportProtocolError(e),
    });
    return new RadarRelayOrderBookTracker(this.dataSource, this.tradingPairs, {
      ...(this.liveness.bookSilenceTimeoutMs !== undefined
        ? { silenceTimeoutMs: this.liveness.bookSilenceTimeoutMs }
        : {}),
    });
  }

  /** No private stream: orders and balances are polled (see capabilities.userStream). */
  protected createUserStreamTracker(): undefined {
    return undefined;
  }

  protected parseUserStreamEvent(_event: RadarRelayUserEvent): UserStreamUpdate[] {
    return [];
  }
}

/**
 * The quote (base units) a buy of `amount` base pays through asks in order:
 * per order the taker amount is rounded up as the Exchange does for market buys.
 */
function quoteToBuy(orders: readonly SignedZeroExOrder[], amount: bigint): bigint {
  let left = amount;
  let quote = 0n;
  for (const o of orders) {
    if (left <= 0n) break;
    const take = left < o.makerAssetAmount ? left : o.makerAssetAmount;
    quote += (take * o.takerAssetAmount + o.makerAssetAmount - 1n) / o.makerAssetAmount;
    left -= take;
  }
  return quote;
}

/** A chain failure around an order, typed: reverts as the 0x error they decode to. */
function chainOrderError(e: unknown): HbError {
  if (isEthereumError(e, 'reverted')) {
    return e.revert !== undefined
      ? zeroExErrorFromRevert(e.revert, e)
      : new ZeroExError('reverted', `${RADAR_RELAY_EXCHANGE}: the transaction reverted: ${e.message}`, {
          cause: e,
        });
  }
  return classifyChainError(e);
}

function classifyChainError(e: unknown): HbError {
  if (isHbError(e)) return e;
  return new HbError(
    'unavailable',
    `${RADAR_RELAY_EXCHANGE}: the Ethereum node failed: ${(e as Error)?.message ?? String(e)}`,
    {
      cause: e,
    },
  );
}
