/**
 * One benchmark run in its own process (forked by run.ts with --expose-gc), so no
 * implementation inherits another's JIT state, heap or GC pressure.
 *
 * Usage: node runner.js <impl>; the result goes back to the parent over IPC (or
 * to stdout as JSON when started by hand).
 */
import { OrderBook as TardisOrderBook, type BookChange, type BookPriceLevel } from 'tardis-dev';
import { OrderBook as CoreOrderBook } from '@hb/core';
import { DEFAULT_STREAM, generateStream, toFrames, type BenchStream } from './stream.js';

/** Implementations and paths a runner can measure. */
export type ImplName = 'core' | 'core-applyDiffs' | 'ccxt' | 'tardis' | 'frames-core' | 'frames-parse';

/** What a runner reports. */
export interface RunResult {
  readonly impl: ImplName;
  /** Messages applied (single-level updates, or frames on the frame paths). */
  readonly messages: number;
  /** Level updates applied. */
  readonly levels: number;
  readonly seconds: number;
  /** Bytes (V8 heap + ArrayBuffers) held by one book right after the snapshot, GC'd (mean of MEMORY_BOOKS). */
  readonly memorySnapshot: number;
  /** Bytes held by the book after the whole stream (a single book). */
  readonly memoryFinal: number;
  /** Final book, `[p0, a0, p1, a1, ...]` best first (empty for frames-parse). */
  readonly bids: number[];
  readonly asks: number[];
  /** Keeps the reads alive so the JIT cannot drop them. */
  readonly sink: number;
  readonly mix: BenchStream['mix'];
}

// `@hb/core` resolves to packages/core/dist here (tools/tsconfig.json sets no source
// condition), so the bench measures the built package a user would install.
type CoreCtor = typeof CoreOrderBook;

/** The parts of ccxt's WebSocket order book (ccxt/js/src/base/ws/OrderBook.js) used here. */
interface CcxtSide {
  readonly length: number;
  readonly [index: number]: [number, number];
  store(price: number, amount: number): void;
}
interface CcxtBook {
  readonly bids: CcxtSide;
  readonly asks: CcxtSide;
  reset(snapshot: { bids: Array<[number, number]>; asks: Array<[number, number]>; nonce?: number }): unknown;
}
type CcxtCtor = new (snapshot?: object, depth?: number) => CcxtBook;

async function loadCcxt(): Promise<CcxtCtor> {
  // ccxt's package exports only its root; the ws OrderBook (what Exchange.orderBook()
  // constructs for every L2 book in ccxt.pro) sits next to it on disk.
  const url = new URL('./src/base/ws/OrderBook.js', import.meta.resolve('ccxt'));
  const mod = (await import(url.href)) as { OrderBook: CcxtCtor };
  return mod.OrderBook;
}

/**
 * Collects garbage until memory settles. ArrayBuffer backing stores (the stream
 * generator's scratch arrays, for one) are released by a background sweeper, so a
 * reading taken straight after gc() can still count them; wait and collect again.
 */
async function settle(): Promise<void> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with --expose-gc');
  for (let k = 0; k < 3; k++) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const heap = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Builds a snapshot input that only the book can keep alive. */
function snapshotCopy(stream: BenchStream): { bids: Array<[number, number]>; asks: Array<[number, number]> } {
  return {
    bids: stream.snapshotBids.map(([p, a]): [number, number] => [p, a]),
    asks: stream.snapshotAsks.map(([p, a]): [number, number] => [p, a]),
  };
}

/** Runs one implementation over the stream. */
interface Adapter {
  /** Builds a fresh book from the snapshot, makes it the one run() updates, and returns it. */
  build(): unknown;
  run(): number;
  final(): { bids: number[]; asks: number[] };
}

const TOP = 20;
const TOP_EVERY = 100;

function coreAdapter(OrderBook: CoreCtor, stream: BenchStream, viaApplyDiffs: boolean): Adapter {
  let book = new OrderBook('BTC-USDT');
  return {
    build() {
      const s = snapshotCopy(stream);
      book = new OrderBook('BTC-USDT');
      book.applySnapshot(s.bids, s.asks, 0);
      return book;
    },
    run() {
      const { side, price, amount, count } = stream;
      const top = new Float64Array(TOP * 2);
      let sink = 0;
      if (viaApplyDiffs) {
        // What the OrderBookTracker does with a parsed DiffMessage (one level here).
        const level: [number, number] = [0, 0];
        const one = [level];
        const none: Array<[number, number]> = [];
        for (let i = 0; i < count; i++) {
          level[0] = price[i]!;
          level[1] = amount[i]!;
          if (side[i] === 0) book.applyDiffs(one, none, i + 1);
          else book.applyDiffs(none, one, i + 1);
          sink += book.bestBid - book.bestAsk;
          if (i % TOP_EVERY === TOP_EVERY - 1) {
            sink += book.copyBids(top, TOP) + top[2 * TOP - 2]!;
            sink += book.copyAsks(top, TOP) + top[2 * TOP - 2]!;
          }
        }
        return sink;
      }
      for (let i = 0; i < count; i++) {
        if (side[i] === 0) book.updateBid(price[i]!, amount[i]!);
        else book.updateAsk(price[i]!, amount[i]!);
        book.setLastUpdateId(i + 1);
        sink += book.bestBid - book.bestAsk;
        if (i % TOP_EVERY === TOP_EVERY - 1) {
          sink += book.copyBids(top, TOP) + top[2 * TOP - 2]!;
          sink += book.copyAsks(top, TOP) + top[2 * TOP - 2]!;
        }
      }
      return sink;
    },
    final() {
      return { bids: [...book.bidEntries()].flat(), asks: [...book.askEntries()].flat() };
    },
  };
}

function ccxtAdapter(OrderBook: CcxtCtor, stream: BenchStream): Adapter {
  let book = new OrderBook();
  return {
    build() {
      book = new OrderBook();
      // reset() is how ccxt.pro loads a REST snapshot into a watched book.
      book.reset({ ...snapshotCopy(stream), nonce: 0 });
      return book;
    },
    run() {
      const { side, price, amount, count } = stream;
      let sink = 0;
      for (let i = 0; i < count; i++) {
        // What ccxt.pro's binance handleDelta does per level: bookside.store(price, amount).
        if (side[i] === 0) book.bids.store(price[i]!, amount[i]!);
        else book.asks.store(price[i]!, amount[i]!);
        sink += book.bids[0]![0] - book.asks[0]![0];
        if (i % TOP_EVERY === TOP_EVERY - 1) {
          for (const s of [book.bids, book.asks]) {
            const n = Math.min(TOP, s.length);
            for (let j = 0; j < n; j++) sink += s[j]![0] + s[j]![1];
          }
        }
      }
      return sink;
    },
    final() {
      const flat = (s: CcxtSide): number[] => {
        const out: number[] = [];
        for (let j = 0; j < s.length; j++) out.push(s[j]![0], s[j]![1]);
        return out;
      };
      return { bids: flat(book.bids), asks: flat(book.asks) };
    },
  };
}

function tardisAdapter(stream: BenchStream): Adapter {
  let book = new TardisOrderBook();
  const base = {
    type: 'book_change' as const,
    symbol: 'BTCUSDT',
    exchange: 'binance' as const,
    timestamp: new Date(0),
    localTimestamp: new Date(0),
  };
  return {
    build() {
      const s = snapshotCopy(stream);
      book = new TardisOrderBook();
      const toLevels = (levels: Array<[number, number]>): BookPriceLevel[] =>
        levels.map(([price, amount]) => ({ price, amount }));
      book.update({ ...base, isSnapshot: true, bids: toLevels(s.bids), asks: toLevels(s.asks) });
      return book;
    },
    run() {
      const { side, price, amount, count } = stream;
      // One reused change object: tardis copies the level on insert, so reuse is safe
      // and the harness adds no allocation of its own.
      const level = { price: 0, amount: 0 };
      const one = [level];
      const none: BookPriceLevel[] = [];
      const bidChange: BookChange = { ...base, isSnapshot: false, bids: one, asks: none };
      const askChange: BookChange = { ...base, isSnapshot: false, bids: none, asks: one };
      let sink = 0;
      for (let i = 0; i < count; i++) {
        level.price = price[i]!;
        level.amount = amount[i]!;
        book.update(side[i] === 0 ? bidChange : askChange);
        sink += book.bestBid()!.price - book.bestAsk()!.price;
        if (i % TOP_EVERY === TOP_EVERY - 1) {
          for (const it of [book.bids(), book.asks()]) {
            let j = 0;
            for (const l of it) {
              sink += l.price + l.amount;
              if (++j === TOP) break;
            }
          }
        }
      }
      return sink;
    },
    final() {
      const flat = (it: Iterable<BookPriceLevel>): number[] => {
        const out: number[] = [];
        for (const l of it) out.push(l.price, l.amount);
        return out;
      };
      return { bids: flat(book.bids()), asks: flat(book.asks()) };
    },
  };
}

/** The Binance-like frame this bench parses. */
interface DepthFrame {
  readonly e: string;
  readonly u: number;
  readonly b: ReadonlyArray<readonly [string, string]>;
  readonly a: ReadonlyArray<readonly [string, string]>;
}

function isDepthFrame(v: unknown): v is DepthFrame {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return (
    f['e'] === 'depthUpdate' && typeof f['u'] === 'number' && Array.isArray(f['b']) && Array.isArray(f['a'])
  );
}

function framesAdapter(
  OrderBook: CoreCtor,
  stream: BenchStream,
  frames: string[],
  parseOnly: boolean,
): Adapter {
  let book = new OrderBook('BTC-USDT');
  return {
    build() {
      const s = snapshotCopy(stream);
      book = new OrderBook('BTC-USDT');
      book.applySnapshot(s.bids, s.asks, 0);
      return book;
    },
    run() {
      let sink = 0;
      if (parseOnly) {
        // The floor: the cheapest possible use of a frame is parsing it.
        for (let i = 0; i < frames.length; i++) {
          const m = JSON.parse(frames[i]!) as { u: number };
          sink += m.u;
        }
        return sink;
      }
      const top = new Float64Array(TOP * 2);
      let levels = 0;
      for (let i = 0; i < frames.length; i++) {
        const m: unknown = JSON.parse(frames[i]!);
        if (!isDepthFrame(m)) throw new Error('not a depth frame');
        // Parse straight into the book: no intermediate [number, number][] per level.
        const { b, a } = m;
        for (let j = 0; j < b.length; j++) book.updateBid(parseFloat(b[j]![0]), parseFloat(b[j]![1]));
        for (let j = 0; j < a.length; j++) book.updateAsk(parseFloat(a[j]![0]), parseFloat(a[j]![1]));
        book.setLastUpdateId(m.u);
        sink += book.bestBid - book.bestAsk;
        const before = levels;
        levels += b.length + a.length;
        if (Math.floor(levels / TOP_EVERY) !== Math.floor(before / TOP_EVERY)) {
          sink += book.copyBids(top, TOP) + top[2 * TOP - 2]!;
          sink += book.copyAsks(top, TOP) + top[2 * TOP - 2]!;
        }
      }
      return sink;
    },
    final() {
      if (parseOnly) return { bids: [], asks: [] };
      return { bids: [...book.bidEntries()].flat(), asks: [...book.askEntries()].flat() };
    },
  };
}

function makeAdapter(
  impl: ImplName | undefined,
  stream: BenchStream,
  frames: string[],
  core: CoreCtor,
  ccxt: CcxtCtor,
): Adapter {
  switch (impl) {
    case 'core':
    case 'core-applyDiffs':
      return coreAdapter(core, stream, impl === 'core-applyDiffs');
    case 'ccxt':
      return ccxtAdapter(ccxt, stream);
    case 'tardis':
      return tardisAdapter(stream);
    case 'frames-core':
    case 'frames-parse':
      return framesAdapter(core, stream, frames, impl === 'frames-parse');
    default:
      throw new Error(`unknown implementation ${String(impl)}`);
  }
}

/** Books built side by side for the memory figure. */
const MEMORY_BOOKS = 8;

/** Updates in the warm-up pass (a different seed, a throwaway book). */
const WARMUP_UPDATES = 200_000;

async function main(): Promise<void> {
  const impl = process.argv[2] as ImplName | undefined;
  const updates = Number(process.env['BENCH_UPDATES'] ?? DEFAULT_STREAM.updates);
  const isFrames = impl === 'frames-core' || impl === 'frames-parse';
  const core = CoreOrderBook;
  const ccxt = await loadCcxt();

  // Warm-up: every implementation gets the same JIT warm-up on a different stream, so
  // the timed pass measures steady state (a connector runs for hours) and not tiering.
  {
    const warm = generateStream({
      ...DEFAULT_STREAM,
      seed: DEFAULT_STREAM.seed + 1,
      updates: WARMUP_UPDATES,
    });
    const adapter = makeAdapter(impl, warm, isFrames ? toFrames(warm) : [], core, ccxt);
    adapter.build();
    adapter.run();
  }

  const stream = generateStream({ ...DEFAULT_STREAM, updates });
  const frames = isFrames ? toFrames(stream) : [];
  const adapter = makeAdapter(impl, stream, frames, core, ccxt);

  // Memory: several books built side by side and the total divided, which averages
  // out the heap's own noise (a few hundred KiB) against books of a few hundred KiB.
  await settle();
  const base = heap();
  const books: unknown[] = [];
  for (let k = 0; k < MEMORY_BOOKS; k++) books.push(adapter.build());
  await settle();
  const memorySnapshot = (heap() - base) / books.length;
  books.length = 0; // the last one built stays alive: it is the adapter's book
  const start = process.hrtime.bigint();
  const sink = adapter.run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await settle();
  const memoryFinal = heap() - base;
  const { bids, asks } = adapter.final();
  const result: RunResult = {
    impl: impl!,
    messages: isFrames ? frames.length : stream.count,
    levels: stream.count,
    seconds,
    memorySnapshot,
    memoryFinal,
    bids,
    asks,
    sink,
    mix: stream.mix,
  };
  if (process.send) process.send(result);
  else console.log(JSON.stringify({ ...result, bids: bids.length / 2, asks: asks.length / 2 }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
