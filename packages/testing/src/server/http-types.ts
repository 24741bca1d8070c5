import type { IncomingHttpHeaders } from 'node:http';

/** One HTTP request as a simulator's handler sees it. */
export interface SimHttpRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Path without the query string (`/api/v3/order`). */
  readonly path: string;
  /** Path parameters of the matched route (`/orders/:id` -> `{ id }`); empty without a router. */
  readonly params: Readonly<Record<string, string>>;
  /** Parsed query; for a repeated key, the last value wins (see `searchParams` for all). */
  readonly query: Readonly<Record<string, string>>;
  /** The query as URLSearchParams, for repeated keys. */
  readonly searchParams: URLSearchParams;
  /**
   * The query string exactly as sent, without the leading `?` (empty when none).
   * Signature checks need these bytes: re-encoding the parsed query can change them.
   */
  readonly rawQuery: string;
  /** The body exactly as sent (UTF-8), empty when none. */
  readonly body: string;
  /** Headers, lower-case names (Node's form). */
  readonly headers: IncomingHttpHeaders;
  /** The request target as sent (path and query). */
  readonly url: string;
}

/**
 * A handler's answer. `body`: a string or Buffer is sent verbatim (so a simulator
 * can send malformed JSON on purpose); anything else is sent as JSON. Omitted: no body.
 */
export interface SimHttpResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** Handles one request. */
export type SimHttpHandler = (request: SimHttpRequest) => SimHttpResponse | Promise<SimHttpResponse>;
