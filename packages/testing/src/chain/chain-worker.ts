// The chain runs in a child process: Hardhat 3 is ESM-only and loads its plugins
// with dynamic imports, which Jest's module system (CommonJS, with a fragile
// experimental ESM loader) cannot follow. A child is plain Node, outside Jest,
// so Hardhat loads there as it does in production, and the test process talks to
// it over the IPC channel (no network) as if it were an EIP-1193 provider.
//
// Not a worker thread: Hardhat's native engine (EDR) crashed or hung the test
// process when a worker holding it was torn down (at terminate() or at process
// exit). A child process dies with SIGKILL and takes nothing with it.
//
// The child's code is kept as a string (run with `node -e`) so the same module
// works from TypeScript sources under Jest and from the built package.

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

/** What the child receives in the `HB_CHAIN_RESOLVE_FROM` environment variable: a file path to resolve `hardhat` from. */
export const RESOLVE_FROM_ENV = 'HB_CHAIN_RESOLVE_FROM';

/**
 * Source of the child. It resolves Hardhat from `HB_CHAIN_RESOLVE_FROM` and
 * creates one runtime with an in-memory config (no config file, nothing to
 * compile). Each `connect` is a fresh chain (Hardhat's `network.connect` with
 * the chain's settings as an override); requests name their connection.
 *
 * One child serves a whole test process; it kills itself (SIGKILL, no native
 * clean-up to hang in) as soon as its parent goes away.
 */
export const CHAIN_WORKER_SOURCE = `
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const die = () => process.kill(process.pid, 'SIGKILL');
process.on('disconnect', die);
const parentPort = { postMessage: (m) => { if (process.connected) process.send(m); } };

(async () => {
  let hre;
  try {
    const req = createRequire(process.env.HB_CHAIN_RESOLVE_FROM);
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
    try { JSON.stringify(data); } catch (x) { data = undefined; }
    parentPort.postMessage({
      kind: 'error',
      id,
      message: e && e.message ? e.message : String(e),
      code: e && typeof e.code === 'number' ? e.code : undefined,
      data,
    });
  };
  process.on('message', async (msg) => {
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
