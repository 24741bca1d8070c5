// Engine events -> the `full` channel (coinbase-pro.md §5 "full channel", §8): one
// sequence per product over every public message (received, open, match, done,
// change), +1 each, so a level-3 snapshot's `sequence` lines up with the feed; plus
// the owner's `user` channel copies with their private fields, which reuse the public
// message's sequence and never advance it. Level changes are passed on for level2.

import BigNumber from 'bignumber.js';
import { Subject, type Observable } from 'rxjs';
import type { EngineEvent, EngineOrder, FeeSchedule } from '@hb/testing';
import type { CoinbaseSimExchange, SimProductState } from './coinbase-pro-sim-exchange.js';
import {
  isoMicros,
  makerSide,
  price as fmtPrice,
  size8,
  type CbFullMessage,
  type CbMatch,
  type PrivateFields,
} from './coinbase-pro-sim-wire.js';

/** A user-channel copy of a full message for one account. */
export interface PrivateCopy {
  readonly account: string;
  readonly message: CbFullMessage & PrivateFields;
}

/** What the feed publishes, in engine order. */
export type FeedEvent =
  | {
      readonly kind: 'full';
      readonly product: string;
      readonly message: CbFullMessage;
      readonly privates: readonly PrivateCopy[];
    }
  | {
      readonly kind: 'level';
      readonly product: string;
      readonly side: 'buy' | 'sell';
      readonly price: string;
      readonly size: string;
    };

interface ProductSeq {
  sequence: number;
  lastTradeId: number;
  lastMatch: CbMatch | undefined;
  /** Remaining size of every resting order, to report it on `done`. */
  readonly resting: Map<string, BigNumber>;
}

/** Turns engine events into numbered Coinbase feed messages. */
export class FullChannel {
  private readonly state = new Map<string, ProductSeq>();
  private readonly subject = new Subject<FeedEvent>();

  /** Every feed message, synchronously, in order. */
  readonly events$: Observable<FeedEvent> = this.subject.asObservable();

  constructor(
    private readonly exchange: CoinbaseSimExchange,
    private readonly fees: FeeSchedule,
  ) {
    exchange.markets.forEach((m, i) => {
      // Large, distinct starting sequences, like the real feed's.
      this.state.set(m.product.id, {
        sequence: (i + 1) * 1_000_000_000,
        lastTradeId: 0,
        lastMatch: undefined,
        resting: new Map(),
      });
    });
  }

  /** The product's current sequence (the last one used): a level-3 snapshot's `sequence`. */
  sequence(productId: string): number {
    return this.seq(productId).sequence;
  }

  /** The product's last trade id (0 before any). */
  lastTradeId(productId: string): number {
    return this.seq(productId).lastTradeId;
  }

  /** The product's last public match, if any. */
  lastMatch(productId: string): CbMatch | undefined {
    return this.seq(productId).lastMatch;
  }

  /** Feeds one engine event of `m`. */
  onEngineEvent(m: SimProductState, ev: EngineEvent): void {
    const p = m.product;
    const st = this.seq(p.id);
    const time = isoMicros(ev.timestamp);
    const base = (): { time: string; product_id: string; sequence: number } => {
      st.sequence += 1;
      return { time, product_id: p.id, sequence: st.sequence };
    };
    switch (ev.type) {
      case 'order_accepted': {
        const o = ev.order;
        const msg: CbFullMessage =
          o.type === 'limit'
            ? {
                type: 'received',
                ...base(),
                order_id: o.orderId,
                order_type: 'limit',
                side: o.side,
                size: size8(o.amount ?? 0),
                price: fmtPrice(p, o.price ?? 0),
              }
            : {
                type: 'received',
                ...base(),
                order_id: o.orderId,
                order_type: 'market',
                side: o.side,
                ...(o.amount !== undefined
                  ? { size: size8(o.amount) }
                  : { funds: (o.quoteAmount ?? new BigNumber(0)).toFixed() }),
              };
        const clientOid = this.exchange.metaOf(o.orderId)?.extras.clientOid;
        this.publish(
          p.id,
          msg,
          this.ownerCopy(o.account, msg, clientOid === undefined ? {} : { client_oid: clientOid }),
        );
        return;
      }
      case 'order_opened': {
        const o = ev.order;
        st.resting.set(o.orderId, o.remaining);
        const msg: CbFullMessage = {
          type: 'open',
          ...base(),
          order_id: o.orderId,
          price: fmtPrice(p, o.price ?? 0),
          remaining_size: size8(o.remaining),
          side: o.side,
        };
        this.publish(p.id, msg, this.ownerCopy(o.account, msg));
        return;
      }
      case 'trade': {
        const t = ev.trade;
        const left = st.resting.get(t.makerOrderId);
        if (left !== undefined) st.resting.set(t.makerOrderId, left.minus(t.amount));
        const msg: CbMatch = {
          type: 'match',
          trade_id: t.tradeId,
          ...base(),
          maker_order_id: t.makerOrderId,
          taker_order_id: t.takerOrderId,
          size: size8(t.amount),
          price: fmtPrice(p, t.price),
          side: makerSide(t),
        };
        st.lastTradeId = t.tradeId;
        st.lastMatch = msg;
        const privates: PrivateCopy[] = [];
        const maker = this.exchange.account(t.makerAccount);
        const taker = this.exchange.account(t.takerAccount);
        if (maker !== undefined) {
          const makerFields: PrivateFields = {
            maker_user_id: maker.userId,
            maker_profile_id: maker.profileId,
            maker_fee_rate: this.fees.get(t.makerAccount).maker.toFixed(),
          };
          const takerFields: PrivateFields =
            t.takerAccount === t.makerAccount && taker !== undefined ? this.takerFields(t.takerAccount) : {};
          privates.push({
            account: t.makerAccount,
            message: {
              ...msg,
              ...makerFields,
              ...takerFields,
              user_id: maker.userId,
              profile_id: maker.profileId,
            },
          });
        }
        if (taker !== undefined && t.takerAccount !== t.makerAccount) {
          privates.push({
            account: t.takerAccount,
            message: {
              ...msg,
              ...this.takerFields(t.takerAccount),
              user_id: taker.userId,
              profile_id: taker.profileId,
            },
          });
        }
        this.publish(p.id, msg, privates);
        return;
      }
      case 'order_filled': {
        const o = ev.order;
        st.resting.delete(o.orderId);
        const msg: CbFullMessage = {
          type: 'done',
          ...base(),
          order_id: o.orderId,
          reason: 'filled',
          side: o.side,
          ...(o.type === 'limit' ? { price: fmtPrice(p, o.price ?? 0), remaining_size: size8(0) } : {}),
        };
        this.publish(p.id, msg, this.ownerCopy(o.account, msg));
        return;
      }
      case 'order_cancelled':
      case 'order_expired': {
        const o = ev.order;
        const remaining = st.resting.get(o.orderId) ?? unfilled(o);
        st.resting.delete(o.orderId);
        const msg: CbFullMessage = {
          type: 'done',
          ...base(),
          order_id: o.orderId,
          reason: 'canceled',
          side: o.side,
          ...(o.type === 'limit' ? { price: fmtPrice(p, o.price ?? 0) } : {}),
          ...(remaining === undefined ? {} : { remaining_size: size8(remaining) }),
        };
        const cancelReason =
          ev.type === 'order_expired'
            ? ev.reason === 'self_trade_prevention'
              ? '102:Self Trade Prevention'
              : '101:Time In Force'
            : undefined;
        this.publish(
          p.id,
          msg,
          this.ownerCopy(o.account, msg, cancelReason === undefined ? {} : { cancel_reason: cancelReason }),
        );
        return;
      }
      case 'order_changed': {
        const o = ev.order;
        if (st.resting.has(o.orderId)) st.resting.set(o.orderId, ev.newRemaining);
        const msg: CbFullMessage = {
          type: 'change',
          reason: 'STP',
          ...base(),
          order_id: o.orderId,
          side: o.side,
          old_size: size8(ev.oldRemaining),
          new_size: size8(ev.newRemaining),
          price: o.type === 'limit' ? fmtPrice(p, o.price ?? 0) : null,
        };
        this.publish(p.id, msg, this.ownerCopy(o.account, msg));
        return;
      }
      case 'book_level_changed':
        this.subject.next({
          kind: 'level',
          product: p.id,
          side: ev.side === 'bid' ? 'buy' : 'sell',
          price: fmtPrice(p, ev.price),
          size: size8(ev.amount),
        });
        return;
      case 'order_partially_filled':
      case 'order_rejected':
        // A fill is reported by its `match`; a rejected order never reached the book.
        return;
    }
  }

  private takerFields(account: string): PrivateFields {
    const a = this.exchange.account(account);
    if (a === undefined) return {};
    return {
      taker_user_id: a.userId,
      taker_profile_id: a.profileId,
      taker_fee_rate: this.fees.get(account).taker.toFixed(),
    };
  }

  private ownerCopy(account: string, msg: CbFullMessage, extra: PrivateFields = {}): PrivateCopy[] {
    const a = this.exchange.account(account);
    if (a === undefined) return [];
    return [{ account, message: { ...msg, ...extra, user_id: a.userId, profile_id: a.profileId } }];
  }

  private publish(product: string, message: CbFullMessage, privates: readonly PrivateCopy[]): void {
    this.subject.next({ kind: 'full', product, message, privates });
  }

  private seq(productId: string): ProductSeq {
    const s = this.state.get(productId);
    if (s === undefined) throw new Error(`CoinbaseProSimulator: unknown product ${productId}`);
    return s;
  }
}

/** What a finished order had left to fill (undefined for a market order by funds). */
function unfilled(o: EngineOrder): BigNumber | undefined {
  if (o.amount === undefined) return undefined;
  return BigNumber.max(o.amount.minus(o.filledAmount), 0);
}
