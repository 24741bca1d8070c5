// The hostile frames of the conformance suite's hostile checks (hostile-checks.ts),
// built the same way for every simulator-backed connector: what "a negative amount"
// or "a huge price" is, in a book level and in a fill; which book price and which
// order they are made from; how they are injected (once, on the live stream). A
// connector says only where its exchange's frames carry a price and an amount
// ({@link HostileWire}), and frames the cases that are about framing itself.
import BigNumber from 'bignumber.js';
import type { EngineOrder } from '../engine/engine-types.js';
import type { SimulatorBase } from '../simulator/simulator-base.js';
import type { HostileFillCase, HostileFrameFaults, HostileMarketCase } from './hostile-checks.js';

/** 401 digits: JSON.parse makes it Infinity as a number; as a decimal string it is out of every range. */
export const HOSTILE_HUGE = '9'.repeat(401);

/** The market cases that are about the frame, not a value: each exchange frames them itself. */
export const HOSTILE_FRAMING_CASES = ['inverted_range', 'unknown_message_type', 'not_json'] as const;
/** A market case about framing (an inverted update range, an unknown type, a cut frame). */
export type HostileFramingCase = (typeof HOSTILE_FRAMING_CASES)[number];
/** A market case carried by one level's price or amount. */
export type HostileValueCase = Exclude<HostileMarketCase, HostileFramingCase>;

/** True when `kind` is carried by a level's values (see {@link hostileLevel}). */
export function isHostileValueCase(kind: HostileMarketCase): kind is HostileValueCase {
  return !(HOSTILE_FRAMING_CASES as readonly string[]).includes(kind);
}

/** One book level carrying a hostile value. */
export interface HostileLevel {
  readonly price: unknown;
  readonly amount: unknown;
}

/**
 * The level of a hostile market case at `price` (a real price of the book, as the
 * exchange writes it; the amount is otherwise `1.0`). `wrongTypePrice` is the price
 * in the JSON type the exchange never uses there (a number where it sends strings).
 */
export function hostileLevel(kind: HostileValueCase, price: string, wrongTypePrice: unknown): HostileLevel {
  const one = '1.0';
  switch (kind) {
    case 'negative_amount':
      return { price, amount: '-0.005' };
    case 'negative_price':
      return { price: `-${price}`, amount: one };
    case 'zero_price':
      return { price: '0.00', amount: one };
    case 'huge_price':
      return { price: HOSTILE_HUGE, amount: one };
    case 'huge_amount':
      return { price, amount: HOSTILE_HUGE };
    case 'nan':
      return { price: 'NaN', amount: one };
    case 'empty_string':
      return { price: '', amount: one };
    case 'wrong_type':
      return { price: wrongTypePrice, amount: one };
  }
}

/** Where an exchange's fill frame carries the fill's amount and price. */
export interface HostileFillFieldNames {
  /** The amount of this fill (Binance `l`, Coinbase `size`). */
  readonly amount: string;
  /** The order's cumulative filled amount, when the fill frame carries one (Binance `z`). */
  readonly cumulative?: string;
  /** The price of this fill. */
  readonly price: string;
}

/** The real values of the fill the hostile one is made from, as the exchange writes them. */
export interface HostileFillValues {
  /** The fill's amount (the whole order). */
  readonly amount: string;
  readonly price: string;
  /** The order's amount times 1000: well-formed, but more than the order. */
  readonly excess: string;
  /** The amount in the JSON type the exchange never uses there. */
  readonly wrongTypeAmount: unknown;
}

/** The field overrides that make a real fill frame hostile for `kind` (the cumulative amount follows the fill's). */
export function hostileFillOverrides(
  kind: HostileFillCase,
  fields: HostileFillFieldNames,
  values: HostileFillValues,
): Record<string, unknown> {
  const amount = (v: unknown, withCumulative = false): Record<string, unknown> =>
    withCumulative && fields.cumulative !== undefined
      ? { [fields.amount]: v, [fields.cumulative]: v }
      : { [fields.amount]: v };
  switch (kind) {
    case 'negative_amount':
      return amount(`-${values.amount}`);
    case 'huge_amount':
      return amount(HOSTILE_HUGE, true);
    case 'negative_price':
      return { [fields.price]: `-${values.price}` };
    case 'nan':
      return amount('NaN');
    case 'wrong_type':
      return amount(values.wrongTypeAmount);
    case 'excess':
      return amount(values.excess, true);
  }
}

let nextHostileTradeId = 900_000_001;

/** A trade id no simulator trade has (900 000 001 and up), so a hostile fill is never a duplicate of a real one. */
export function hostileTradeId(): number {
  return nextHostileTradeId++;
}

/** Our order in the simulator by client order id; throws when it has none. */
export function simOrderOf<O>(
  sim: { orderByClientOrderId(apiKey: string, clientOrderId: string): O | undefined },
  apiKey: string,
  clientOrderId: string,
): O {
  const order = sim.orderByClientOrderId(apiKey, clientOrderId);
  if (order === undefined) throw new Error(`no simulator order ${clientOrderId}`);
  return order;
}

/** A fault-injector stream match: an exact stream name or a pattern. */
type StreamName = string | RegExp;

/** An exchange's wire format, as far as the hostile frames need it. */
export interface HostileWire {
  /** The stream the traded pair's book frames go out on. */
  readonly bookStream: StreamName;
  /** The stream our fills go out on. */
  readonly fillStream: StreamName;
  /** Decimals the exchange writes: a book price, a fill's amount, a fill's price. */
  readonly decimals: { readonly bookPrice: number; readonly fillAmount: number; readonly fillPrice: number };
  /** A decimal in the JSON type the exchange never uses for it (a number where it sends strings). */
  wrongType(decimal: string): unknown;
  /**
   * A book frame of the pair carrying `level`, placed where the next real update
   * would be (in sequence, so only the value check can refuse it).
   */
  bookFrame(level: HostileLevel, kind: HostileValueCase): string;
  /** The frame of a framing case; `price` is the book's best bid as the exchange writes it. */
  framingFrame(kind: HostileFramingCase, price: string): string;
  /** Where a fill frame carries the fill's amount and price. */
  readonly fillFields: HostileFillFieldNames;
  /**
   * Our order's real fill frame (the whole order at its price, `amount` and `price`
   * as the exchange writes them) with `overrides` spread over its fields.
   */
  fillFrame(
    order: EngineOrder,
    fill: {
      readonly clientOrderId: string;
      readonly amount: string;
      readonly price: string;
      readonly overrides: Record<string, unknown>;
    },
  ): string;
}

/**
 * The {@link HostileFrameFaults} of a simulator: each market case becomes one frame
 * on the pair's book stream (at the best bid), each fill case one frame on the fill
 * stream for our order, both sent once on the live sockets.
 */
export function simulatorHostileFrames(
  sim: SimulatorBase,
  tradingPair: string,
  apiKey: string,
  wire: HostileWire,
): HostileFrameFaults {
  return {
    sendHostileMarketFrame(kind: HostileMarketCase) {
      const bid = sim.trueBook(tradingPair, 1).bids[0]?.[0] ?? 100;
      const price = new BigNumber(bid).toFixed(wire.decimals.bookPrice);
      const frame = isHostileValueCase(kind)
        ? wire.bookFrame(hostileLevel(kind, price, wire.wrongType(price)), kind)
        : wire.framingFrame(kind, price);
      sim.faults.malformedFrame({ stream: wire.bookStream }, { frame, times: 1 });
    },
    armHostileFill(kind: HostileFillCase, clientOrderId: string, orderAmount: BigNumber) {
      const order = simOrderOf(sim, apiKey, clientOrderId);
      const price = (order.price ?? new BigNumber(1)).toFixed(wire.decimals.fillPrice);
      const amount = orderAmount.toFixed(wire.decimals.fillAmount);
      const overrides = hostileFillOverrides(kind, wire.fillFields, {
        amount,
        price,
        excess: orderAmount.times(1000).toFixed(wire.decimals.fillAmount),
        wrongTypeAmount: wire.wrongType(amount),
      });
      const frame = wire.fillFrame(order, { clientOrderId, amount, price, overrides });
      sim.faults.malformedFrame({ stream: wire.fillStream }, { frame, times: 1 });
    },
  };
}
