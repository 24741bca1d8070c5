/**
 * Pipeline benchmark: Binance depth frames through @hb/binance's market-stream
 * frame handling, core's OrderBookTracker and OrderBook, beside a bare JSON.parse
 * of the same frames (the floor), for 1, 10 and 100 pairs.
 *
 * `npm run bench:pipeline` at the repo root. See README.md in this folder for what
 * is measured and the environment knobs.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RecordingOptions } from './record.js';
import type { Mode, RunResult } from './pipeline-path.js';

const RUNNER = fileURLToPath(new URL('./runner.js', import.meta.url));
const RECORDINGS = fileURLToPath(new URL('./recordings', import.meta.url));
const TRIALS = Math.max(1, Number(process.env['BENCH_TRIALS'] ?? 3));
const SCENARIOS = [1, 10, 100];

const envInt = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Math.max(1, Math.floor(Number(v)));
};

function runOnce(file: string, pairs: number, mode: Mode): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(RUNNER, [file, String(pairs), mode], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: RunResult | undefined;
    child.on('message', (m) => {
      result = m as RunResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`runner ${pairs} ${mode} exited with code ${String(code)}`));
    });
  });
}

const rate = (r: RunResult): number => r.frames / r.seconds;
const fmtRate = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(0)} k/s`;
const perFrame = (r: RunResult): string => `${((r.seconds * 1e9) / r.frames).toFixed(0)} ns`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ') + ' |';
  const rule =
    '|' + widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const began = Date.now();
  const options: RecordingOptions = {
    pairs: envInt('BENCH_PAIRS', 100),
    framesPerPair: envInt('BENCH_FRAMES_PER_PAIR', 300),
    stepsPerFrame: envInt('BENCH_STEPS_PER_FRAME', 10),
    seed: envInt('BENCH_SEED', 7),
  };
  // The recorder runs the simulator from @hb/binance/testing, which loads @hb/testing.
  const { loadOrRecord, recordingPath } = await import('./record.js');
  const file = recordingPath(RECORDINGS, options);
  const recording = await loadOrRecord(file, options, (line) => process.stderr.write(`${line}\n`));
  const scenarios = SCENARIOS.filter((n) => n <= recording.pairs.length);

  console.log(
    `pipeline bench: Binance simulator depth frames (${recording.frames.length.toLocaleString('en-US')} recorded: ` +
      `${options.pairs} pairs x ${options.framesPerPair}, ~${options.stepsPerFrame} activity steps per frame, seed ${options.seed}), ` +
      `replayed in-process; ${TRIALS} fresh process(es) per cell, fastest kept; node ${process.version}`,
  );

  const results = new Map<string, RunResult>();
  for (const pairs of scenarios) {
    const best: Partial<Record<Mode, RunResult>> = {};
    for (let t = 0; t < TRIALS; t++) {
      // Alternate the order so neither mode always runs on the warmer machine.
      const order: Mode[] = t % 2 === 0 ? ['parse', 'path'] : ['path', 'parse'];
      for (const mode of order) {
        const r = await runOnce(file, pairs, mode);
        process.stderr.write(
          `  ${String(pairs).padStart(3)} pairs ${mode.padEnd(5)} trial ${t + 1}/${TRIALS}: ${fmtRate(rate(r))}\n`,
        );
        if (r.problems.length > 0) throw new Error(`${pairs} pairs ${mode}: ${r.problems.join('; ')}`);
        const prev = best[mode];
        if (prev === undefined || rate(r) > rate(prev)) best[mode] = r;
      }
    }
    results.set(`${pairs}:parse`, best.parse!);
    results.set(`${pairs}:path`, best.path!);
  }

  const rows = scenarios.map((pairs) => {
    const floor = results.get(`${pairs}:parse`)!;
    const path = results.get(`${pairs}:path`)!;
    const ratio = rate(path) / rate(floor);
    return [
      String(pairs),
      (path.frames / path.passes).toLocaleString('en-US'),
      (path.levels / path.frames).toFixed(1),
      `${(path.bytes / path.frames).toFixed(0)} B`,
      fmtRate(rate(floor)),
      perFrame(floor),
      fmtRate(rate(path)),
      perFrame(path),
      `${ratio.toFixed(2)}x`,
      ratio >= 1 ? 'yes' : 'no',
    ];
  });
  console.log(
    '\nmessages/s = depthUpdate frames per second (combined-stream envelope); ratio = whole path rate / JSON.parse rate\n',
  );
  console.log(
    table(
      [
        'pairs',
        'frames/pass',
        'levels/frame',
        'frame size',
        'JSON.parse (floor)',
        'per frame',
        'whole path',
        'per frame',
        'ratio',
        '>= floor',
      ],
      rows,
    ),
  );
  console.log(
    '\nwhole path = BinanceMarketStream frame handler (depth scanner -> DiffMessage) -> BinanceOrderBookTracker ' +
      "(core OrderBookTracker, range sequence check) -> OrderBook.applyDiffs; every pass ends with each book equal to the exchange's",
  );
  console.log(`\ntotal bench time ${((Date.now() - began) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
