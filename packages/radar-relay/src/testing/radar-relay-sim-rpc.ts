// An Ethereum JSON-RPC endpoint on 127.0.0.1 for the local chain. The chain of
// @hb/testing/chain lives in a child process spoken to over IPC; a connector
// built from endpoint URLs (`hb --sandbox`, `createMarket({ endpoints })`) needs
// an HTTP node URL like any real node's. Single and batched requests; the
// toolkit's HTTP fault knobs (5xx, 429, delays, hangs) apply to it as to REST.
import {
  startHttpServer,
  type FaultInjector,
  type RunningHttpServer,
  type SimHttpRequest,
  type SimHttpResponse,
} from '@hb/testing';
import type { LocalChain } from '@hb/testing/chain';

/** A JSON-RPC 2.0 request. */
interface RpcRequest {
  readonly jsonrpc?: string;
  readonly id?: number | string | null;
  readonly method?: unknown;
  readonly params?: unknown;
}

/** A running RPC endpoint. */
export interface RadarSimRpcServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests answered (each request of a batch counts). */
  readonly requestCount: number;
  close(): Promise<void>;
}

/** Starts a JSON-RPC endpoint for `chain` on 127.0.0.1 and a random port. */
export async function startRpcServer(chain: LocalChain, faults?: FaultInjector): Promise<RadarSimRpcServer> {
  let count = 0;
  const one = async (r: RpcRequest): Promise<Record<string, unknown>> => {
    const id = r.id ?? null;
    if (typeof r.method !== 'string') {
      return { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid Request' } };
    }
    count += 1;
    try {
      const params = Array.isArray(r.params) ? (r.params as unknown[]) : [];
      const result = await chain.eip1193.request({ method: r.method, params });
      return { jsonrpc: '2.0', id, result: result ?? null };
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown; data?: unknown };
      return {
        jsonrpc: '2.0',
        id,
        error: {
          code: typeof err.code === 'number' ? err.code : -32603,
          message: typeof err.message === 'string' ? err.message : 'Internal error',
          ...(err.data === undefined ? {} : { data: err.data }),
        },
      };
    }
  };
  const handler = async (req: SimHttpRequest): Promise<SimHttpResponse> => {
    if (req.method !== 'POST') return { status: 405, body: { message: 'POST JSON-RPC requests' } };
    let body: unknown;
    try {
      body = JSON.parse(req.body) as unknown;
    } catch {
      return {
        status: 200,
        body: { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } },
      };
    }
    if (Array.isArray(body))
      return { status: 200, body: await Promise.all(body.map((r) => one(r as RpcRequest))) };
    return { status: 200, body: await one(body as RpcRequest) };
  };
  const server: RunningHttpServer = await startHttpServer(handler, faults === undefined ? {} : { faults });
  return {
    url: server.url,
    get requestCount() {
      return count;
    },
    close: () => server.close(),
  };
}
