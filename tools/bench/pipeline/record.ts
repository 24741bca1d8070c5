/**
 * Records the pipeline benchmark's input once: real depthUpdate frames from the
 * Binance simulator, captured as text off a combined-stream socket, plus the
 * depth snapshots they follow and the books they end at.
 *
 * The simulator runs with `depthMode: 'manual'`, so one `flush()` after a few
 * activity steps gives exactly one frame per pair that changed: the level count
 * per frame is set by the steps per flush, much as Binance's 100 ms batching sets
 * it by how busy a pair is.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WsConnection } from '@hb/core/connector';
import { BinanceSimulator, type BinanceSimMarketInput } from '@hb/binance/testing';

/** What a recording is made of (every frame as the socket delivered it). */
export interface RecordingOptions {
  /** Pairs recorded; the benchmark's scenarios use the first 1, 10, ... of them. */
  readonly pairs: number;
  /** depthUpdate frames recorded per pair. */
  readonly framesPerPair: number;
  /** Activity steps per pair between two flushes (roughly the levels a frame carries). */
  readonly stepsPerFrame: number;
  /** Activity generator seed. */
  readonly seed: number;
}

/** One recorded pair. */
export interface RecordedPair {
  /** `BASE-QUOTE`. */
  readonly pair: string;
  /** Binance symbol, `BTCUSDT`. */
  readonly symbol: string;
  /** `GET /api/v3/depth` body taken right before the first recorded frame. */
  readonly snapshot: string;
  /** `GET /api/v3/depth` body after the last recorded frame: what the replayed book must equal. */
  readonly finalBook: string;
}

/** A recording, as stored on disk. */
export interface Recording {
  readonly options: RecordingOptions;
  /** `GET /api/v3/exchangeInfo` body (the connector's SymbolMap is built from it). */
  readonly exchangeInfo: string;
  readonly pairs: readonly RecordedPair[];
  /**
   * Combined-stream frames `{"stream":"<symbol>@depth@100ms","data":{...}}` in
   * arrival order, all pairs interleaved, exactly as received.
   */
  readonly frames: readonly string[];
}

/** The benchmark's default recording. */
export const DEFAULT_RECORDING: RecordingOptions = {
  pairs: 100,
  framesPerPair: 1000,
  stepsPerFrame: 10,
  seed: 7,
};

/** Price scales the recorded markets cycle through (mid, tick, step), so numbers vary in length as on Binance. */
const SCALES = [
  { midPrice: '30000', tickSize: '0.01', stepSize: '0.00001' },
  { midPrice: '2000', tickSize: '0.01', stepSize: '0.0001' },
  { midPrice: '150', tickSize: '0.01', stepSize: '0.001' },
  { midPrice: '25', tickSize: '0.001', stepSize: '0.01' },
  { midPrice: '3.5', tickSize: '0.0001', stepSize: '0.1' },
  { midPrice: '0.45', tickSize: '0.00001', stepSize: '1' },
] as const;

/** BTC-USDT first (the one-pair scenario), then synthetic `Pnnn-USDT` markets. */
function markets(n: number): BinanceSimMarketInput[] {
  return Array.from({ length: n }, (_, i) => {
    const scale = SCALES[i % SCALES.length]!;
    const pair = i === 0 ? 'BTC-USDT' : `P${String(i).padStart(3, '0')}-USDT`;
    return { pair, ...scale, minQty: scale.stepSize, minNotional: '0.0001' };
  });
}

/** The file a recording with these options is cached in. */
export function recordingPath(dir: string, o: RecordingOptions): string {
  return `${dir}/recording-p${o.pairs}-f${o.framesPerPair}-s${o.stepsPerFrame}-seed${o.seed}.json`;
}

/** Loads the cached recording, or records it (tens of seconds for the default) and caches it. */
export async function loadOrRecord(
  file: string,
  options: RecordingOptions,
  log: (line: string) => void,
): Promise<Recording> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Recording;
  } catch {
    // Not recorded yet (or unreadable): record it now.
  }
  const began = Date.now();
  log(
    `recording ${options.pairs} pairs x ${options.framesPerPair} frames from the Binance simulator (once; cached in ${file}) ...`,
  );
  const recording = await record(options, log);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(recording));
  await rename(`${file}.tmp`, file);
  log(
    `recorded ${recording.frames.length.toLocaleString('en-US')} frames in ${((Date.now() - began) / 1000).toFixed(1)} s`,
  );
  return recording;
}

async function getText(url: string): Promise<string> {
  const res = await fetch(url);
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${body}`);
  return body;
}

/** Runs the simulator and records (see the module comment). */
export async function record(options: RecordingOptions, log: (line: string) => void): Promise<Recording> {
  const sim = await BinanceSimulator.start({
    markets: markets(options.pairs),
    depthMode: 'manual',
    seed: options.seed,
  });
  const received: string[] = [];
  let capture: WsConnection | undefined;
  try {
    const list = sim.markets.map((m) => ({ pair: m.pair, symbol: m.symbol }));
    const streams = list.map((m) => `${m.symbol.toLowerCase()}@depth@100ms`).join('/');
    capture = new WsConnection({
      name: 'bench capture',
      url: `${sim.wsUrl}/stream?streams=${streams}`,
      reconnect: { enabled: false },
    });
    capture.messages$.subscribe((m) => received.push(m.data));
    await capture.connect();

    const activity = sim.activity(options.seed, { generator: { levels: 50, maxOpenOrders: 400 } });
    const sequences = list.map((m) => sim.bookSequence(m.symbol));
    /** Flushes and waits until every pair whose book moved has its frame. */
    const flushAndCollect = async (): Promise<number> => {
      const before = received.length;
      const moved = list.filter((m, i) => sim.bookSequence(m.symbol) !== sequences[i]).length;
      sim.flush();
      for (let i = 0; i < list.length; i++) sequences[i] = sim.bookSequence(list[i]!.symbol);
      const deadline = Date.now() + 10_000;
      while (received.length - before < moved) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${moved} frames (got ${received.length - before})`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return moved;
    };

    // Build the books up first; the frames of this phase are not part of the recording.
    activity.step(400);
    await flushAndCollect();
    received.length = 0;

    const depthUrl = (symbol: string, limit: number): string =>
      `${sim.restUrl}/api/v3/depth?symbol=${symbol}&limit=${limit}`;
    const exchangeInfo = await getText(`${sim.restUrl}/api/v3/exchangeInfo`);
    const snapshots = await Promise.all(list.map((m) => getText(depthUrl(m.symbol, 1000))));

    const perPair = new Map<string, number>(list.map((m) => [m.symbol, 0]));
    let rounds = 0;
    // Every pair moves on nearly every step, so rounds ~ framesPerPair; pairs that reach
    // their count early keep going (their extra frames are dropped below).
    while ([...perPair.values()].some((n) => n < options.framesPerPair)) {
      const start = received.length;
      activity.step(options.stepsPerFrame);
      await flushAndCollect();
      for (let i = start; i < received.length; i++) {
        const symbol = symbolOf(received[i]!);
        perPair.set(symbol, (perPair.get(symbol) ?? 0) + 1);
      }
      if (++rounds % 200 === 0) log(`  ${rounds} rounds, ${received.length.toLocaleString('en-US')} frames`);
    }
    // Keep exactly framesPerPair frames of each pair: cut each pair after its last kept frame.
    // Frames after a pair's cut belong to no scenario; the final book is read at the cut.
    const kept: string[] = [];
    const count = new Map<string, number>(list.map((m) => [m.symbol, 0]));
    for (const f of received) {
      const symbol = symbolOf(f);
      const n = count.get(symbol) ?? 0;
      if (n >= options.framesPerPair) continue;
      count.set(symbol, n + 1);
      kept.push(f);
    }
    // The final books must be those after each pair's last kept frame, not the live ones.
    const finalBooks = list.map((m) => bookAfter(snapshotOf(snapshots, list, m.symbol), kept, m.symbol));
    return {
      options,
      exchangeInfo,
      pairs: list.map((m, i) => ({ ...m, snapshot: snapshots[i]!, finalBook: finalBooks[i]! })),
      frames: kept,
    };
  } finally {
    await capture?.close();
    await sim.stop();
  }
}

function symbolOf(frame: string): string {
  const data = (JSON.parse(frame) as { data: { s: string } }).data;
  return data.s;
}

function snapshotOf(
  snapshots: readonly string[],
  list: readonly { symbol: string }[],
  symbol: string,
): string {
  return snapshots[list.findIndex((m) => m.symbol === symbol)]!;
}

/**
 * The book a snapshot plus a pair's frames lead to, computed independently of the
 * connector (string-keyed maps, JSON.parse), as `GET /api/v3/depth` would show it.
 */
function bookAfter(snapshot: string, frames: readonly string[], symbol: string): string {
  type Levels = [string, string][];
  const snap = JSON.parse(snapshot) as { lastUpdateId: number; bids: Levels; asks: Levels };
  const bids = new Map(snap.bids);
  const asks = new Map(snap.asks);
  let id = snap.lastUpdateId;
  for (const f of frames) {
    const d = (JSON.parse(f) as { data: { s: string; U: number; u: number; b: Levels; a: Levels } }).data;
    if (d.s !== symbol) continue;
    if (d.U !== id + 1) throw new Error(`recording of ${symbol} is not contiguous: U=${d.U} after ${id}`);
    id = d.u;
    for (const [side, levels] of [
      [bids, d.b],
      [asks, d.a],
    ] as const) {
      for (const [p, q] of levels) {
        if (Number(q) === 0) side.delete(p);
        else side.set(p, q);
      }
    }
  }
  const sorted = (m: Map<string, string>, desc: boolean): Levels =>
    [...m.entries()].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
  return JSON.stringify({ lastUpdateId: id, bids: sorted(bids, true), asks: sorted(asks, false) });
}
