// The chain runs in a worker thread: Hardhat 3 is ESM-only and loads its plugins
// with dynamic imports, which Jest's module system (CommonJS, with a fragile
// experimental ESM loader) cannot follow. A worker is plain Node, outside Jest,
// so Hardhat loads there as it does in production, and the test thread talks to
// it over a MessagePort as if it were an EIP-1193 provider.
//
// The worker's code is kept as a string (run with `eval: true`) so the same
// module works from TypeScript sources under Jest and from the built package.

/** Messages the test thread sends to the chain worker. */
export type ChainWorkerRequest =
  | { readonly kind: 'connect'; readonly id: number; readonly override: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'request';
      readonly id: number;
      readonly conn: number;
      readonly method: string;
      readonly params: readonly unknown[];
    }
  | { readonly kind: 'close'; readonly id: number; readonly conn: number };

/** Messages the chain worker sends back (`result` of a `connect` is the connection number). */
export type ChainWorkerResponse =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'result'; readonly id: number; readonly result: unknown }
  | {
      readonly kind: 'error';
      readonly id: number;
      readonly message: string;
      readonly code: number | undefined;
      readonly data: unknown;
    };

/** What the worker receives as `workerData`. */
export interface ChainWorkerData {
  /** A file path to resolve `hardhat` from (the user's project). */
  readonly resolveFrom: string;
}

/**
 * Source of the worker. It resolves Hardhat from `workerData.resolveFrom` and
 * creates one runtime with an in-memory config (no config file, nothing to
 * compile). Each `connect` is a fresh chain (Hardhat's `network.connect` with
 * the chain's settings as an override); requests name their connection.
 *
 * One worker serves a whole process and is never terminated: Hardhat's native
 * engine (EDR) crashes the process when a worker holding it is torn down and
 * another loads it again, which is what one worker per test file did.
 */
export const CHAIN_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');

(async () => {
  let hre;
  try {
    const req = createRequire(workerData.resolveFrom);
    const hreModule = await import(pathToFileURL(req.resolve('hardhat/hre')).href);
    hre = await hreModule.createHardhatRuntimeEnvironment({});
    parentPort.postMessage({ kind: 'ready' });
  } catch (e) {
    parentPort.postMessage({ kind: 'failed', message: e && e.stack ? e.stack : String(e) });
    return;
  }
  const connections = new Map();
  let nextConn = 1;
  const reply = (id, result) => parentPort.postMessage({ kind: 'result', id, result: result === undefined ? null : result });
  const fail = (id, e) => {
    let data = e && e.data !== undefined ? e.data : undefined;
    try { structuredClone(data); } catch (x) { data = undefined; }
    parentPort.postMessage({
      kind: 'error',
      id,
      message: e && e.message ? e.message : String(e),
      code: e && typeof e.code === 'number' ? e.code : undefined,
      data,
    });
  };
  parentPort.on('message', async (msg) => {
    try {
      if (msg.kind === 'connect') {
        const connection = await hre.network.connect({ override: msg.override });
        const conn = nextConn++;
        connections.set(conn, connection);
        reply(msg.id, conn);
      } else if (msg.kind === 'close') {
        const connection = connections.get(msg.conn);
        connections.delete(msg.conn);
        if (connection) await connection.close();
        reply(msg.id, null);
      } else {
        const connection = connections.get(msg.conn);
        if (!connection) throw new Error('local chain stopped');
        reply(msg.id, await connection.provider.request({ method: msg.method, params: msg.params }));
      }
    } catch (e) {
      fail(msg.id, e);
    }
  });
})();
`;
