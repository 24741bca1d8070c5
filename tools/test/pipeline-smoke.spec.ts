// A small run of the pipeline benchmark's real path, so `npm test` notices when a
// change breaks the benchmark (it is not run otherwise). No timing is asserted.
import { record } from '../bench/pipeline/record.js';
import { runParse, runPath, scenarioOf } from '../bench/pipeline/pipeline-path.js';

describe('bench:pipeline smoke', () => {
  it('replays recorded simulator frames through the connector path and ends with the exchange books', async () => {
    const recording = await record(
      { pairs: 2, framesPerPair: 30, stepsPerFrame: 5, seed: 3 },
      () => undefined,
    );
    const scenario = scenarioOf(recording, 2);
    expect(scenario.frames.length).toBeGreaterThan(0);
    const path = await runPath(scenario, 200);
    expect(path.problems).toEqual([]);
    expect(path.frames).toBeGreaterThanOrEqual(200);
    const parse = runParse(scenario, 200);
    expect(parse.frames).toBe(path.frames);
  }, 60_000);
});
