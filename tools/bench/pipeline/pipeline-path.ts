/**
 * The two pipeline measurements, as functions so that both the benchmark's
 * runner processes and a smoke test (tools/test) use the same code.
 *
 * - `parse`: a bare `JSON.parse` of every frame (the floor).
 * - `path`: every frame through the connector's real path: the public
 *   `BinanceMarketStream`'s frame handler (depth scanner -> sink -> DiffMessage) ->
 *   `BinanceOrderBookDataSource.listenForDiffs` -> `BinanceOrderBookTracker`
 *   (core `OrderBookTracker`, range sequence check) -> `OrderBook.applyDiffs`.
 *
 * The frames are replayed in-process from the recording, so the measurement is CPU
 * only. The stream's socket is open to a loopback endpoint that sends no data (it
 * must be, for the stream to have subscribers); frames are handed to the stream's
 * frame handler, the function its socket calls for each decoded text frame.
 */
import { readFileSync } from 'node:fs';
import type { OrderBook, WsMessage } from '@hb/core/connector';
import {
  BinanceMarketStream,
  BinanceOrderBookDataSource,
  BinanceOrderBookTracker,
  symbolMapFromExchangeInfo,
  type BinanceApiClient,
} from '@hb/binance';
import { startWsServer } from '@hb/testing';
import { firstValueFrom, filter } from 'rxjs';
import type { Recording } from './record.js';

/** What a runner measures. */
export type Mode = 'parse' | 'path';

/** What a runner reports. */
export interface RunResult {
  readonly mode: Mode;
  readonly pairs: number;
  /** Frames timed (warm-up passes excluded). */
  readonly frames: number;
  /** Levels in those frames. */
  readonly levels: number;
  /** Bytes (UTF-16 code units, all ASCII) in those frames. */
  readonly bytes: number;
  readonly seconds: number;
  /** Replay passes timed. */
  readonly passes: number;
  /** Checks that failed (path mode): empty when every book ended where the exchange's did. */
  readonly problems: readonly string[];
  /** Keeps parse results alive so the JIT cannot drop them. */
  readonly sink: number;
}

/** Frames replayed before timing starts (JIT warm-up), for `targetFrames` timed. */
const warmupFrames = (targetFrames: number): number => Math.min(50_000, targetFrames / 4);

/** The frames of the recording's first `pairs` pairs. */
export interface Scenario {
  readonly recording: Recording;
  /** The pairs of this scenario (the recording's first `pairs`). */
  readonly chosen: Recording['pairs'];
  /** Their frames, in arrival order. */
  readonly frames: readonly string[];
  readonly levels: number;
  readonly bytes: number;
}

/** A scenario from a recording file. */
export function loadScenario(file: string, pairs: number): Scenario {
  return scenarioOf(JSON.parse(readFileSync(file, 'utf8')) as Recording, pairs);
}

/** The scenario of a recording's first `pairs` pairs. */
export function scenarioOf(recording: Recording, pairs: number): Scenario {
  const chosen = recording.pairs.slice(0, pairs);
  if (chosen.length < pairs) throw new Error(`recording has ${recording.pairs.length} pairs, ${pairs} asked`);
  const wanted = new Set(chosen.map((p) => `"stream":"${p.symbol.toLowerCase()}@depth@100ms"`));
  const frames = recording.frames.filter((f) => wanted.has(f.slice(1, f.indexOf(',"data"'))));
  let levels = 0;
  let bytes = 0;
  for (const f of frames) {
    const d = (JSON.parse(f) as { data: { b: unknown[]; a: unknown[] } }).data;
    levels += d.b.length + d.a.length;
    bytes += f.length;
  }
  return { recording, chosen, frames, levels, bytes };
}

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

/** Passes needed for `target` frames. */
const passesFor = (target: number, perPass: number): number => Math.max(1, Math.ceil(target / perPass));

/** Times a bare JSON.parse of `targetFrames` frames. */
export function runParse(s: Scenario, targetFrames: number): RunResult {
  const frames = s.frames;
  let sink = 0;
  const pass = (): void => {
    for (let i = 0; i < frames.length; i++) {
      const v = JSON.parse(frames[i]!) as { data: { u: number } };
      sink += v.data.u;
    }
  };
  for (let k = passesFor(warmupFrames(targetFrames), frames.length); k > 0; k--) pass();
  const passes = passesFor(targetFrames, frames.length);
  let total = 0;
  for (let k = 0; k < passes; k++) {
    const t = process.hrtime.bigint();
    pass();
    total += seconds(t);
  }
  return {
    mode: 'parse',
    pairs: s.chosen.length,
    frames: frames.length * passes,
    levels: s.levels * passes,
    bytes: s.bytes * passes,
    seconds: total,
    passes,
    problems: [],
    sink,
  };
}

/** The stream's frame handler: what its WsConnection subscription calls per text frame. */
function frameHandler(stream: BinanceMarketStream): (message: WsMessage) => void {
  // Private on purpose (the package keeps its wire handling internal); a rename
  // fails here loudly rather than measuring nothing.
  const handler = (stream as unknown as Record<string, unknown>)['onMessage'];
  if (typeof handler !== 'function')
    throw new Error('BinanceMarketStream.onMessage not found: update tools/bench/pipeline/runner.ts');
  return (handler as (message: WsMessage) => void).bind(stream);
}

/** Compares a replayed book with the book the recording ended at. */
function checkBook(pair: Recording['pairs'][number], book: OrderBook): string | undefined {
  const want = JSON.parse(pair.finalBook) as {
    lastUpdateId: number;
    bids: [string, string][];
    asks: [string, string][];
  };
  if (book.lastUpdateId !== want.lastUpdateId)
    return `${pair.pair}: lastUpdateId ${book.lastUpdateId}, want ${want.lastUpdateId}`;
  for (const [side, got, levels] of [
    ['bids', [...book.bidEntries()], want.bids],
    ['asks', [...book.askEntries()], want.asks],
  ] as const) {
    if (got.length !== levels.length)
      return `${pair.pair} ${side}: ${got.length} levels, want ${levels.length}`;
    for (let i = 0; i < got.length; i++) {
      const [p, q] = got[i]!;
      const [wp, wq] = levels[i]!;
      if (p !== Number(wp) || q !== Number(wq))
        return `${pair.pair} ${side}[${i}]: [${p}, ${q}], want [${wp}, ${wq}]`;
    }
  }
  return undefined;
}

/** Times `targetFrames` frames through the connector's real path and checks every book. */
export async function runPath(s: Scenario, targetFrames: number): Promise<RunResult> {
  const symbols = symbolMapFromExchangeInfo(JSON.parse(s.recording.exchangeInfo) as unknown);
  const snapshots = new Map(s.chosen.map((p) => [p.symbol, p.snapshot]));
  // The snapshot request is served from the recording (the REST path is not what is measured).
  const api = {
    depth: (symbol: string): Promise<unknown> =>
      Promise.resolve(JSON.parse(snapshots.get(symbol)!) as unknown),
  } as unknown as BinanceApiClient;
  const server = await startWsServer((connection) => {
    // A market-stream endpoint that sends no data: it only answers SUBSCRIBE as
    // Binance does (`{"result":null,"id":N}`), which the data source waits for
    // before it takes a snapshot.
    connection.onMessage((text) => {
      const { id } = JSON.parse(text) as { id?: unknown };
      connection.sendRaw(JSON.stringify({ result: null, id }));
    });
  });
  const stream = new BinanceMarketStream({ wsUrl: server.url, symbols, reconnectMinDelayMs: 10 });
  const feed = frameHandler(stream);
  const pairs = s.chosen.map((p) => p.pair);
  // Anchors hold every stream subscribed between passes, so each pass's tracker
  // joins confirmed streams instead of sending SUBSCRIBE/UNSUBSCRIBE, which the
  // 5-messages-a-second limit would make the slowest part of the run. The depth
  // anchor is one empty observer call per frame (a few ns of the ~1.5 us).
  const anchors = pairs.flatMap((p) => [stream.trades$(p).subscribe(), stream.depth$(p).subscribe()]);
  const dataSource = new BinanceOrderBookDataSource({
    api,
    context: () => Promise.resolve({ symbols, stream }),
  });
  const problems: string[] = [];
  const frames = s.frames;

  const pass = async (timed: boolean): Promise<number> => {
    const tracker = new BinanceOrderBookTracker(dataSource, pairs);
    tracker.start();
    await firstValueFrom(tracker.ready$.pipe(filter(Boolean)));
    let elapsed = 0;
    const receivedAt = Date.now();
    const t = process.hrtime.bigint();
    for (let i = 0; i < frames.length; i++) feed({ data: frames[i]!, receivedAt });
    if (timed) elapsed = seconds(t);
    const stats = tracker.stats;
    if (stats.diffsApplied !== frames.length || stats.diffsDropped !== 0 || stats.resyncs !== 0) {
      problems.push(
        `tracker stats ${JSON.stringify(stats)}, want ${frames.length} applied, 0 dropped, 0 resyncs`,
      );
    }
    if (problems.length === 0 && !tracker.ready) problems.push('tracker not ready after the replay');
    if (problems.length === 0) {
      for (const p of s.chosen) {
        const problem = checkBook(p, tracker.getOrderBook(p.pair));
        if (problem !== undefined) {
          problems.push(problem);
          break;
        }
      }
    }
    tracker.stop();
    return elapsed;
  };

  for (let k = passesFor(warmupFrames(targetFrames), frames.length); k > 0 && problems.length === 0; k--)
    await pass(false);
  const passes = passesFor(targetFrames, frames.length);
  let total = 0;
  for (let k = 0; k < passes && problems.length === 0; k++) total += await pass(true);
  for (const a of anchors) a.unsubscribe();
  await stream.close();
  await server.close();
  return {
    mode: 'path',
    pairs: s.chosen.length,
    frames: frames.length * passes,
    levels: s.levels * passes,
    bytes: s.bytes * passes,
    seconds: total,
    passes,
    problems,
    sink: 0,
  };
}
