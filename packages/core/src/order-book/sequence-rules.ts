/**
 * What a tracker does with one sequenced book message, given the update id its
 * book is at: `stale` (already covered by the book: drop it), `apply` (the next
 * message: apply it and move the book to its `updateId`), or `gap` (something
 * was missed between the book and this message: the book can no longer be
 * trusted and the pair must re-sync from a new snapshot).
 */
export type SequenceVerdict = 'stale' | 'apply' | 'gap';

/**
 * The sequencing fields of a diff (`DiffMessage` / `OrderDiffMessage` both fit).
 * Rules read only these, so a tracker can classify a whole buffer before it
 * touches the book.
 */
export interface SequencedUpdate {
  /** Sequence number after the message (Binance `u`, Coinbase `sequence`, Huobi `seqNum`). */
  readonly updateId: number;
  /** First sequence number the message covers (Binance `U`), when the exchange batches. */
  readonly firstUpdateId?: number;
  /** Sequence number of the message before this one (Huobi `prevSeqNum`), when the exchange says. */
  readonly prevUpdateId?: number;
}

/** The numbers a gap is reported with: what the rule needed and what the message said. */
export interface SequenceGap {
  /** The id the rule needed to see next (a first id, a sequence number, or a previous id). */
  readonly expected: number;
  /** The corresponding id the message carried. */
  readonly got: number;
}

/**
 * An exchange's rule for ordering its book messages. Connectors do not write
 * their own: they pick one of the built-in rules below, so the staleness and gap
 * logic that users of other libraries saw go wrong is written (and tested) once.
 */
export interface SequenceRule {
  /** Short name for logs and events (`range`, `consecutive`, `previous-id`, `none`). */
  readonly name: string;
  /**
   * Whether the exchange numbers its messages at all. When false, gaps cannot be
   * seen and the tracker relies on re-snapshots after reconnects.
   */
  readonly sequenced: boolean;
  /** Classifies `update` against the id the book is at (`bookUpdateId`). */
  classify(update: SequencedUpdate, bookUpdateId: number): SequenceVerdict;
  /** For an update classified `gap`: what was expected and what came, for the `gap` event. */
  describeGap(update: SequencedUpdate, bookUpdateId: number): SequenceGap;
}

/**
 * Batched ranges: each message covers ids `firstUpdateId..updateId` (`U..u`).
 *
 * - stale when `u <= bookId` (everything in it is already in the book);
 * - gap when `U > bookId + 1` (ids between the book and the message are missing);
 * - apply otherwise, including a message that straddles the book id.
 *
 * The straddle case is what makes the same check implement Binance's rule that
 * the first event after a REST snapshot must satisfy `U <= lastUpdateId + 1 <= u`:
 * events wholly before the snapshot are stale, one starting after it is a gap.
 * A message without `firstUpdateId` is taken to cover only `updateId`.
 *
 * Used by: Binance spot diff depth (`@depth`, `@depth@100ms`).
 */
export const rangeSequenceRule: SequenceRule = {
  name: 'range',
  sequenced: true,
  classify(update, bookUpdateId) {
    if (update.updateId <= bookUpdateId) return 'stale';
    const first = update.firstUpdateId ?? update.updateId;
    return first > bookUpdateId + 1 ? 'gap' : 'apply';
  },
  describeGap(update, bookUpdateId) {
    return { expected: bookUpdateId + 1, got: update.firstUpdateId ?? update.updateId };
  },
};

/**
 * One id per message, increasing by exactly one: stale when `seq <= bookId`
 * (late or repeated message), gap when `seq > bookId + 1`, apply when
 * `seq == bookId + 1`.
 *
 * Used by: Coinbase Pro `full` channel (per-product `sequence`), Bittrex v3
 * order book deltas (`sequence`, per market and depth), DDEX `full` channel
 * (`sequence`; gap semantics unconfirmed there), IDEX Datastream (`seq`; likewise).
 */
export const consecutiveSequenceRule: SequenceRule = {
  name: 'consecutive',
  sequenced: true,
  classify(update, bookUpdateId) {
    if (update.updateId <= bookUpdateId) return 'stale';
    return update.updateId === bookUpdateId + 1 ? 'apply' : 'gap';
  },
  describeGap(update, bookUpdateId) {
    return { expected: bookUpdateId + 1, got: update.updateId };
  },
};

/**
 * Linked messages: each names the id of the message before it, and ids need not
 * be consecutive. Apply iff `prevUpdateId === bookId`; stale when
 * `updateId <= bookId`; anything else is a gap (a message whose predecessor we
 * never saw, or one that straddles a snapshot it cannot link to).
 *
 * After a refresh at `seqNum = S`, cached messages up to `S` fall out as stale
 * and the one with `prevSeqNum == S` is the first applied, which is Huobi's
 * documented realignment. A message without `prevUpdateId` is taken to follow
 * `updateId - 1`, i.e. the rule degrades to the consecutive one.
 *
 * Used by: Huobi (HTX) MBP incremental feed (`market.$symbol.mbp.$levels`,
 * `seqNum` / `prevSeqNum`).
 */
export const previousIdSequenceRule: SequenceRule = {
  name: 'previous-id',
  sequenced: true,
  classify(update, bookUpdateId) {
    const prev = update.prevUpdateId ?? update.updateId - 1;
    if (prev === bookUpdateId) return 'apply';
    if (update.updateId <= bookUpdateId) return 'stale';
    return 'gap';
  },
  describeGap(update, bookUpdateId) {
    return { expected: bookUpdateId, got: update.prevUpdateId ?? update.updateId - 1 };
  },
};

/**
 * No sequence numbers at all: every message applies, in arrival order. A lost
 * message cannot be detected, so the data source must signal `resync` on every
 * reconnect and the tracker re-snapshots then.
 *
 * Used by: 0x open-order-book relayers (Radar Relay, Bamboo Relay, 0x Standard
 * Relayer API), Coinbase Pro `level2` (guaranteed-delivery channel without
 * sequence numbers), Huobi full-snapshot depth pushes.
 */
export const noSequenceRule: SequenceRule = {
  name: 'none',
  sequenced: false,
  classify() {
    return 'apply';
  },
  describeGap(update, bookUpdateId) {
    return { expected: bookUpdateId, got: update.updateId };
  },
};
