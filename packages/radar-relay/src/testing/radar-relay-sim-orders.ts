// The relayer's order store: every order it accepted, by hash, with its state and
// the taker amount filled on chain, and the per-market views Radar publishes
// (the book, account orders, fills). Amounts are exact base units (bigint);
// prices and the human amounts of the JSON are exact decimals (BigNumber).
import BigNumber from 'bignumber.js';
import type { RadarSimToken } from './radar-relay-sim-chain.js';
import type {
  RadarSimFillJson,
  RadarSimMarketBaseJson,
  RadarSimMarketSpec,
  RadarSimOrderJson,
  RadarSimOrderState,
  RadarSimOrderType,
  RadarSimSignedOrderJson,
} from './radar-relay-sim-types.js';

/** A listed market with its tokens. */
export interface RadarSimMarket {
  readonly id: string;
  readonly spec: RadarSimMarketSpec;
  readonly base: RadarSimToken;
  readonly quote: RadarSimToken;
}

/** Digits of a price in the JSON (prices from integer amounts may not terminate). */
const PRICE_DECIMALS = 18;

/** One order the relayer accepted. */
export class RadarSimOrder {
  /** Lower-case order hash (as the Exchange computed it). */
  readonly hash: string;
  readonly market: RadarSimMarket;
  /** ASK: the maker sells base; BID: the maker buys base. */
  readonly type: RadarSimOrderType;
  /** The signed order as accepted (addresses and hex lower case). */
  readonly signed: RadarSimSignedOrderJson;
  readonly maker: string;
  readonly makerAssetAmount: bigint;
  readonly takerAssetAmount: bigint;
  readonly expirationTimeSeconds: bigint;
  readonly salt: bigint;
  /** Server time of acceptance, ms. */
  readonly createdMs: number;
  /** Price, quote per base, exact. */
  readonly price: BigNumber;
  /** Taker asset filled on chain (from getOrderInfo at acceptance, then Fill events). */
  takerFilled: bigint;
  /** Maker asset paid out by the Fill events the relayer saw (fills before acceptance not included). */
  makerFilled = 0n;
  state: RadarSimOrderState;
  private readonly preAcceptanceTakerFilled: bigint;

  constructor(init: {
    hash: string;
    market: RadarSimMarket;
    type: RadarSimOrderType;
    signed: RadarSimSignedOrderJson;
    takerFilled: bigint;
    createdMs: number;
  }) {
    this.hash = init.hash;
    this.market = init.market;
    this.type = init.type;
    this.signed = init.signed;
    this.maker = init.signed.makerAddress;
    this.makerAssetAmount = BigInt(init.signed.makerAssetAmount);
    this.takerAssetAmount = BigInt(init.signed.takerAssetAmount);
    this.expirationTimeSeconds = BigInt(init.signed.expirationTimeSeconds);
    this.salt = BigInt(init.signed.salt);
    this.createdMs = init.createdMs;
    this.takerFilled = init.takerFilled;
    this.preAcceptanceTakerFilled = init.takerFilled;
    this.state = 'OPEN';
    const { base, quote } = this.market;
    const baseUnits = this.type === 'ASK' ? this.makerAssetAmount : this.takerAssetAmount;
    const quoteUnits = this.type === 'ASK' ? this.takerAssetAmount : this.makerAssetAmount;
    this.price = human(quoteUnits, quote.decimals).div(human(baseUnits, base.decimals));
  }

  /** Taker asset still fillable (ignoring the maker's funds). */
  get remainingTaker(): bigint {
    const r = this.takerAssetAmount - this.takerFilled;
    return r > 0n ? r : 0n;
  }

  /** Maker asset still to be paid out: the Exchange's floor(remainingTaker × maker / taker). */
  get remainingMaker(): bigint {
    return (this.remainingTaker * this.makerAssetAmount) / this.takerAssetAmount;
  }

  /** Remaining base token, base units. */
  get remainingBase(): bigint {
    return this.type === 'ASK' ? this.remainingMaker : this.remainingTaker;
  }

  /** Remaining quote token, base units. */
  get remainingQuote(): bigint {
    return this.type === 'ASK' ? this.remainingTaker : this.remainingMaker;
  }

  /**
   * Base token filled, base units: for a BID the taker asset filled (exact); for
   * an ASK the maker asset the Fill events paid out (plus, for fills before
   * acceptance, the Exchange's proportional share).
   */
  get filledBase(): bigint {
    if (this.type === 'BID') return this.takerFilled;
    return this.makerFilled + (this.preAcceptanceTakerFilled * this.makerAssetAmount) / this.takerAssetAmount;
  }

  /** The maker's token (what the maker must hold and allow). */
  get makerToken(): RadarSimToken {
    return this.type === 'ASK' ? this.market.base : this.market.quote;
  }

  /** The order as Radar's RadarSignedOrder JSON. */
  toJson(): RadarSimOrderJson {
    const { base, quote } = this.market;
    return {
      orderHash: this.hash,
      type: this.type,
      state: this.state,
      baseTokenAddress: base.address,
      quoteTokenAddress: quote.address,
      remainingBaseTokenAmount: humanString(this.remainingBase, base.decimals),
      remainingQuoteTokenAmount: humanString(this.remainingQuote, quote.decimals),
      price: priceString(this.price),
      createdDate: radarDate(this.createdMs),
      signedOrder: this.signed,
    };
  }
}

/** `amount` base units in human units. */
export function human(amount: bigint, decimals: number): BigNumber {
  return new BigNumber(amount.toString()).shiftedBy(-decimals);
}

/** Human units as a plain decimal string (no exponent). */
export function humanString(amount: bigint, decimals: number): string {
  return human(amount, decimals).toFixed();
}

/** A price as Radar prints it: plain decimal, at most 18 places, trailing zeros dropped. */
export function priceString(price: BigNumber): string {
  return price.decimalPlaces(PRICE_DECIMALS, BigNumber.ROUND_HALF_UP).toFixed();
}

/** Human units to base units; undefined when the amount has more decimals than the token. */
export function toUnits(amount: BigNumber.Value, decimals: number): bigint | undefined {
  const n = new BigNumber(amount).shiftedBy(decimals);
  if (!n.isFinite() || !n.isInteger()) return undefined;
  return BigInt(n.toFixed());
}

/** `2020-01-14 10:00:00` (UTC), the createdDate format hummingbot parsed. */
export function radarDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The `base` JSON of a market. */
export function marketBaseJson(m: RadarSimMarket): RadarSimMarketBaseJson {
  return {
    id: m.id,
    displayName: m.id.replace('-', '/'),
    baseTokenAddress: m.base.address,
    quoteTokenAddress: m.quote.address,
    baseTokenDecimals: m.base.decimals,
    quoteTokenDecimals: m.quote.decimals,
    quoteIncrement: m.spec.quoteIncrement ?? 8,
    minOrderSize: m.spec.minOrderSize,
    maxOrderSize: m.spec.maxOrderSize ?? '1000000000',
    score: 50,
    active: 1,
  };
}

/** A recorded fill, with the market it belongs to. */
export interface RadarSimFillRecord {
  readonly market: string;
  readonly fill: RadarSimFillJson;
  /** Protocol fee the taker paid for this order, wei. */
  readonly protocolFeePaid: bigint;
}

/** Every order and fill the relayer knows, with the book views. */
export class RadarSimOrderStore {
  private readonly byHash = new Map<string, RadarSimOrder>();
  private readonly fillList: RadarSimFillRecord[] = [];

  /** An order by hash (any case). */
  get(hash: string): RadarSimOrder | undefined {
    return this.byHash.get(hash.toLowerCase());
  }

  /** Adds an accepted order. */
  add(order: RadarSimOrder): void {
    this.byHash.set(order.hash, order);
  }

  /** Every order, oldest first. */
  all(): RadarSimOrder[] {
    return [...this.byHash.values()];
  }

  /** The open orders (the book), oldest first. */
  open(): RadarSimOrder[] {
    return this.all().filter((o) => o.state === 'OPEN');
  }

  /** A maker's orders (any state), newest first. */
  ofMaker(address: string): RadarSimOrder[] {
    const a = address.toLowerCase();
    return this.all()
      .filter((o) => o.maker === a)
      .reverse();
  }

  /** The open orders of a market by side, best first (ties: oldest first). */
  book(market: string): { bids: RadarSimOrder[]; asks: RadarSimOrder[] } {
    const open = this.open().filter((o) => o.market.id === market);
    const bids = open.filter((o) => o.type === 'BID').sort((a, b) => b.price.comparedTo(a.price) ?? 0);
    const asks = open.filter((o) => o.type === 'ASK').sort((a, b) => a.price.comparedTo(b.price) ?? 0);
    return { bids, asks };
  }

  /** The L2 book of a market as numbers (price, remaining base), best first, `depth` levels a side. */
  levels(market: string, depth = Infinity): { bids: [number, number][]; asks: [number, number][] } {
    const { bids, asks } = this.book(market);
    const agg = (orders: RadarSimOrder[]): [number, number][] => {
      const out: [BigNumber, BigNumber][] = [];
      for (const o of orders) {
        const p = new BigNumber(priceString(o.price));
        const last = out[out.length - 1];
        const amount = human(o.remainingBase, o.market.base.decimals);
        if (last !== undefined && last[0].eq(p)) last[1] = last[1].plus(amount);
        else out.push([p, amount]);
      }
      return out
        .filter(([, a]) => a.gt(0))
        .slice(0, depth)
        .map(([p, a]) => [p.toNumber(), a.toNumber()]);
    };
    return { bids: agg(bids), asks: agg(asks) };
  }

  /** Records a fill. */
  addFill(record: RadarSimFillRecord): void {
    this.fillList.push(record);
  }

  /** Fills, newest first, of a market or of an address (maker or taker). */
  fills(filter: { market?: string; address?: string } = {}): RadarSimFillRecord[] {
    const a = filter.address?.toLowerCase();
    return this.fillList
      .filter(
        (f) =>
          (filter.market === undefined || f.market === filter.market) &&
          (a === undefined || f.fill.makerAddress === a || f.fill.takerAddress === a),
      )
      .reverse();
  }
}
