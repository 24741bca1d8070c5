/**
 * Scale benchmark: a venue's market tracking 1, 100 and 1,000 pairs of its
 * simulator, connector and simulator in separate processes. For each cell it
 * prints the connector's RSS and heap, time to ready, diffs applied per second,
 * CPU, and how many books equal the simulator's once the feed is quiet.
 *
 * `npm run bench:scale` at the repo root. See README.md in this folder.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConnectorCommand, ConnectorReply, SimCommand, SimReply } from './protocol.js';
import type { Venue } from './venues.js';

const SIM = fileURLToPath(new URL('./sim-process.js', import.meta.url));
const CONNECTOR = fileURLToPath(new URL('./connector-process.js', import.meta.url));

const env = (name: string, fallback: string): string => process.env[name] || fallback;
const VENUES = env('BENCH_VENUES', 'binance,coinbase-pro').split(',') as Venue[];
const SIZES = env('BENCH_PAIRS', '1,100,1000').split(',').map(Number);
const SECONDS = Number(env('BENCH_SECONDS', '15'));
const STEPS_PER_PAIR = Number(env('BENCH_STEPS_PER_PAIR', '10'));
const MAX_STEPS = Number(env('BENCH_MAX_STEPS', '2000'));
const READY_TIMEOUT_MS = Number(env('BENCH_READY_TIMEOUT_MS', '300000'));
const QUIET_TIMEOUT_MS = Number(env('BENCH_QUIET_TIMEOUT_MS', '20000'));

/** A forked process and a way to await its next reply of a type. */
class Child<Cmd, Reply extends { type: string }> {
  private readonly queue: Reply[] = [];
  private waiter: (() => void) | undefined;
  private exited: Error | undefined;

  constructor(readonly proc: ChildProcess) {
    proc.on('message', (m) => {
      this.queue.push(m as Reply);
      this.waiter?.();
    });
    proc.on('exit', (code) => {
      this.exited = new Error(`${proc.spawnargs.slice(-2).join(' ')} exited with ${String(code)}`);
      this.waiter?.();
    });
  }

  send(cmd: Cmd): void {
    this.proc.send(cmd as object);
  }

  async next<T extends Reply['type']>(type: T): Promise<Extract<Reply, { type: T }>> {
    for (;;) {
      const i = this.queue.findIndex((r) => r.type === type);
      if (i >= 0) return this.queue.splice(i, 1)[0] as Extract<Reply, { type: T }>;
      if (this.exited) throw this.exited;
      await new Promise<void>((r) => (this.waiter = r));
      this.waiter = undefined;
    }
  }
}

interface Row {
  venue: Venue;
  pairs: number;
  readyS: string;
  rssMb: number;
  maxRssMb: number;
  heapMb: number;
  diffsPerSecond: number;
  cpuPercent: number;
  booksEqual: string;
  simStepsPerSecond: number;
  simCpuPercent: number;
  connections: number;
  resyncs: number;
  note: string;
}

async function cell(venue: Venue, n: number): Promise<Row> {
  const rate = Math.min(MAX_STEPS, n * STEPS_PER_PAIR);
  const sim = new Child<SimCommand, SimReply>(
    fork(SIM, [venue, String(n), String(rate)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const connector = new Child<ConnectorCommand, ConnectorReply>(
    fork(CONNECTOR, [venue], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    const started = await sim.next('started');
    sim.send({ type: 'run' });
    connector.send({
      type: 'start',
      restUrl: started.restUrl,
      wsUrl: started.wsUrl,
      pairs: started.pairs,
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    const ready = await connector.next('ready');
    connector.send({ type: 'measure', seconds: SECONDS });
    const measured = await connector.next('measured');
    sim.send({ type: 'quiet' });
    const quiet = await sim.next('quiet');
    // Once the feed is quiet every book must equal the simulator's.
    sim.send({ type: 'digests' });
    const truth = (await sim.next('digests')).digests;
    const deadline = Date.now() + QUIET_TIMEOUT_MS;
    let equal = 0;
    for (;;) {
      connector.send({ type: 'digests' });
      const mine = (await connector.next('digests')).digests;
      equal = started.pairs.filter((p) => mine[p] === truth[p]).length;
      if (equal === n || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return {
      venue,
      pairs: n,
      readyS: ready.error
        ? `not ready (${(ready.readyMs / 1000).toFixed(0)} s)`
        : (ready.readyMs / 1000).toFixed(1),
      rssMb: measured.rssMb,
      maxRssMb: measured.maxRssMb,
      heapMb: measured.heapMb,
      diffsPerSecond: measured.diffsPerSecond,
      cpuPercent: measured.cpuPercent,
      booksEqual: `${equal}/${n}`,
      simStepsPerSecond: quiet.stepsPerSecond,
      simCpuPercent: quiet.cpuPercent,
      connections: quiet.connections,
      resyncs: measured.resyncs,
      note: ready.error ?? '',
    };
  } finally {
    connector.send({ type: 'stop' });
    sim.send({ type: 'stop' });
    await Promise.all(
      [connector.proc, sim.proc].map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null) return resolve();
            const kill = setTimeout(() => p.kill('SIGKILL'), 5000);
            p.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
          }),
      ),
    );
  }
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((v, c) => (c < 2 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ') + ' |';
  const rule =
    '|' + widths.map((w, c) => (c < 2 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const began = Date.now();
  console.log(
    `scale bench: connector and simulator in separate processes; activity ${STEPS_PER_PAIR} steps/s per pair ` +
      `(at most ${MAX_STEPS}/s in all); measured for ${SECONDS} s after ready; node ${process.version}`,
  );
  const rows: Row[] = [];
  for (const venue of VENUES) {
    for (const n of SIZES) {
      process.stderr.write(`  ${venue} ${n} pairs...\n`);
      const row = await cell(venue, n);
      process.stderr.write(`    ready ${row.readyS} s, books equal ${row.booksEqual}\n`);
      rows.push(row);
    }
  }
  console.log(
    '\n' +
      table(
        [
          'venue',
          'pairs',
          'ready (s)',
          'RSS MB',
          'max RSS MB',
          'heap MB',
          'diffs/s',
          'CPU %',
          'books equal',
          'sim steps/s',
          'sim CPU %',
          'sockets',
          'resyncs',
        ],
        rows.map((r) => [
          r.venue,
          String(r.pairs),
          r.readyS,
          r.rssMb.toFixed(0),
          r.maxRssMb.toFixed(0),
          r.heapMb.toFixed(0),
          r.diffsPerSecond.toFixed(0),
          r.cpuPercent.toFixed(1),
          r.booksEqual,
          r.simStepsPerSecond.toFixed(0),
          r.simCpuPercent.toFixed(1),
          String(r.connections),
          String(r.resyncs),
        ]),
      ),
  );
  for (const r of rows) if (r.note) console.log(`${r.venue} ${r.pairs}: ${r.note}`);
  console.log(
    '\nRSS/heap/CPU/diffs are the connector process (a market with every pair, no keys) over the measured ' +
      "window; max RSS over its whole life; books equal = connector books equal to the simulator's, level " +
      'for level, after activity stops; sockets = market-data connections the simulator saw; resyncs = re-synchronisations after a first ' +
      'sync, up to the end of the measured window.',
  );
  console.log(`\ntotal bench time ${((Date.now() - began) / 1000).toFixed(0)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
