/**
 * The order-book benchmark stream: one seeded, deterministic sequence that every
 * runner process regenerates for itself (cheaper than shipping 1M updates over IPC,
 * and identical bit for bit because the generator only uses integer arithmetic and
 * exact divisions).
 *
 * Shape: a 5,000-level snapshot per side, then single-level diffs, about 70%
 * modify / 15% delete / 15% insert, 90% of them within 50 ticks of the top of
 * their side (skewed towards the top) and 10% anywhere in the book.
 */

/** Stream settings; defaults are the benchmark's. */
export interface StreamOptions {
  readonly seed: number;
  readonly levelsPerSide: number;
  readonly updates: number;
  /** Share of updates within 50 ticks of the top; the rest land anywhere in the book. */
  readonly nearTopFraction: number;
}

/** Default benchmark settings. */
export const DEFAULT_STREAM: StreamOptions = {
  seed: 0x5eed,
  levelsPerSide: 5_000,
  updates: 1_000_000,
  nearTopFraction: 0.9,
};

/** The generated stream, held in flat typed arrays so the timed loops allocate nothing. */
export interface BenchStream {
  /** Snapshot bids, best first, as `[price, amount]`. */
  readonly snapshotBids: ReadonlyArray<readonly [number, number]>;
  /** Snapshot asks, best first. */
  readonly snapshotAsks: ReadonlyArray<readonly [number, number]>;
  /** 0 = bid, 1 = ask, per update. */
  readonly side: Uint8Array;
  readonly price: Float64Array;
  /** Absolute amount; 0 deletes. */
  readonly amount: Float64Array;
  readonly count: number;
  /** How many updates were modify / delete / insert, for the report. */
  readonly mix: { readonly modify: number; readonly remove: number; readonly insert: number };
}

/** mulberry32: tiny, fast, good enough for a benchmark stream, and deterministic. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Prices are integer ticks / 100: an exactly rounded division, so the number equals
// parseFloat of its two-decimal text and the frame path rebuilds the same book.
const TICK_RANGE = 1_000_000;
const MID = 500_000;
const NEAR_TOP = 50;

/** Price of a tick. */
export const tickPrice = (tick: number): number => tick / 100;
/** Amount from an integer number of thousandths. */
const lotAmount = (lots: number): number => lots / 1000;

/** Generates the benchmark stream. */
export function generateStream(options: StreamOptions = DEFAULT_STREAM): BenchStream {
  const rand = prng(options.seed);
  // Per side, the amount resting at each tick (0 = no level). Bids: higher tick is
  // better; asks: lower tick is better.
  const bidAt = new Float64Array(TICK_RANGE);
  const askAt = new Float64Array(TICK_RANGE);
  const snapshotBids: Array<readonly [number, number]> = [];
  const snapshotAsks: Array<readonly [number, number]> = [];
  const lots = (): number => 1 + Math.floor(rand() * 99_999);

  let bestBid = MID - 1;
  let bestAsk = MID + 1;
  let worstBid = bestBid;
  let worstAsk = bestAsk;
  for (let t = bestBid; snapshotBids.length < options.levelsPerSide; t--) {
    if (t !== bestBid && rand() < 0.2) continue; // ~80% of ticks occupied
    bidAt[t] = lotAmount(lots());
    snapshotBids.push([tickPrice(t), bidAt[t]!]);
    worstBid = t;
  }
  for (let t = bestAsk; snapshotAsks.length < options.levelsPerSide; t++) {
    if (t !== bestAsk && rand() < 0.2) continue;
    askAt[t] = lotAmount(lots());
    snapshotAsks.push([tickPrice(t), askAt[t]!]);
    worstAsk = t;
  }
  let bidCount = options.levelsPerSide;
  let askCount = options.levelsPerSide;

  const n = options.updates;
  const side = new Uint8Array(n);
  const price = new Float64Array(n);
  const amount = new Float64Array(n);
  let modify = 0;
  let remove = 0;
  let insert = 0;

  for (let i = 0; i < n; i++) {
    const isAsk = rand() < 0.5;
    const r = rand();
    let op = r < 0.7 ? 0 : r < 0.85 ? 1 : 2; // modify, delete, insert
    const count = isAsk ? askCount : bidCount;
    if (op === 1 && count < 100) op = 2; // keep both sides deep
    const span = isAsk ? worstAsk - bestAsk : bestBid - worstBid;
    const near = rand() < options.nearTopFraction;
    const u = rand();
    // Offset in ticks from the top towards the back of the book; inserts may also
    // land a few ticks inside the spread, which moves the top.
    let offset = near ? Math.floor(u * u * NEAR_TOP) : Math.floor(u * (span + 1));
    if (op === 2 && near) offset -= 3;
    const dir = isAsk ? 1 : -1; // direction towards worse prices
    const at = isAsk ? askAt : bidAt;
    const best = isAsk ? bestAsk : bestBid;
    let tick = best + dir * offset;
    if (op === 2) {
      // Never cross the other side.
      if (isAsk && tick <= bestBid) tick = bestBid + 1;
      if (!isAsk && tick >= bestAsk) tick = bestAsk - 1;
      while (at[tick]! > 0) tick += dir;
      at[tick] = lotAmount(lots());
      if (isAsk) {
        askCount++;
        if (tick < bestAsk) bestAsk = tick;
        if (tick > worstAsk) worstAsk = tick;
      } else {
        bidCount++;
        if (tick > bestBid) bestBid = tick;
        if (tick < worstBid) worstBid = tick;
      }
      insert++;
    } else {
      // An existing level at or behind the chosen tick (or in front of it past the back).
      let t = tick;
      const worst = isAsk ? worstAsk : worstBid;
      while (!(at[t]! > 0) && t !== worst) t += dir;
      tick = t;
      if (op === 0) {
        at[tick] = lotAmount(lots());
        modify++;
      } else {
        at[tick] = 0;
        remove++;
        if (isAsk) {
          askCount--;
          if (tick === bestAsk) while (!(askAt[bestAsk]! > 0)) bestAsk++;
          if (tick === worstAsk) while (!(askAt[worstAsk]! > 0)) worstAsk--;
        } else {
          bidCount--;
          if (tick === bestBid) while (!(bidAt[bestBid]! > 0)) bestBid--;
          if (tick === worstBid) while (!(bidAt[worstBid]! > 0)) worstBid++;
        }
      }
    }
    side[i] = isAsk ? 1 : 0;
    price[i] = tickPrice(tick);
    amount[i] = at[tick]!;
  }
  return { snapshotBids, snapshotAsks, side, price, amount, count: n, mix: { modify, remove, insert } };
}

/** Levels per depth frame, cycling: "a few levels per frame", 3.5 on average. */
const FRAME_SIZES = [2, 3, 4, 5];

/**
 * The same updates as Binance-like `depthUpdate` frames. Consecutive updates are
 * grouped into one frame; within a frame each side keeps its order, and the sides
 * are independent, so applying the frames yields the same book as the raw updates.
 */
export function toFrames(stream: BenchStream): string[] {
  const frames: string[] = [];
  let i = 0;
  let f = 0;
  while (i < stream.count) {
    const size = FRAME_SIZES[f % FRAME_SIZES.length]!;
    const first = i + 1;
    const b: string[] = [];
    const a: string[] = [];
    for (let k = 0; k < size && i < stream.count; k++, i++) {
      const level = `["${stream.price[i]!.toFixed(8)}","${stream.amount[i]!.toFixed(8)}"]`;
      (stream.side[i] === 0 ? b : a).push(level);
    }
    const text = `{"e":"depthUpdate","E":${1_700_000_000_000 + f},"s":"BTCUSDT","U":${first},"u":${i},"b":[${b.join(',')}],"a":[${a.join(',')}]}`;
    // A WebSocket frame arrives as bytes and is decoded into one flat string; a
    // template-built string is a rope that JSON.parse would first have to flatten.
    frames.push(Buffer.from(text, 'utf8').toString('utf8'));
    f++;
  }
  return frames;
}
