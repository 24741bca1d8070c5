/**
 * One pipeline measurement in its own process (forked by run.ts), so neither mode
 * inherits the other's JIT state or heap.
 *
 * Usage: node runner.js <recording.json> <pairs> <parse|path>;
 * the result goes back over IPC (or to stdout as JSON when started by hand).
 */
import { loadScenario, runParse, runPath } from './pipeline-path.js';

/** Frames timed per run, over as many passes of the recording as it takes. */
const TARGET_FRAMES = Number(process.env['BENCH_FRAMES'] ?? 200_000);

async function main(): Promise<void> {
  const [file, pairsArg, mode] = process.argv.slice(2);
  if (file === undefined || pairsArg === undefined || (mode !== 'parse' && mode !== 'path')) {
    throw new Error('usage: runner.js <recording.json> <pairs> <parse|path>');
  }
  const scenario = loadScenario(file, Number(pairsArg));
  const result =
    mode === 'parse' ? runParse(scenario, TARGET_FRAMES) : await runPath(scenario, TARGET_FRAMES);
  if (process.send) process.send(result);
  else console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
