/** HTTP methods the exchanges' REST APIs use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * Query parameters as an ordered list: Binance signs the query string byte for
 * byte, so the order the connector chose must survive to the wire.
 */
export type QueryParams = ReadonlyArray<readonly [string, string]>;

/** A REST request as the client is about to send it, before credentials are added. */
export interface RestRequestToSign {
  /** The HTTP method. */
  readonly method: HttpMethod;
  /** The path below the base URL, starting with `/` (`/api/v3/order`). */
  readonly path: string;
  /** Query parameters in the order they will be sent. */
  readonly query: QueryParams;
  /** The exact body that will be sent, or undefined for none. */
  readonly body: string | undefined;
}

/**
 * What a signer returns. The client sends exactly these bytes: a signer that
 * appends a signature to the query returns the new `pathAndQuery`; one that
 * signs headers returns the request's own path and body unchanged.
 */
export interface SignedRestRequest {
  /** Path plus `?query` (already encoded), appended verbatim to the base URL. */
  readonly pathAndQuery: string;
  /** The body to send, byte for byte as signed. */
  readonly body: string | undefined;
  /** Headers to add (API key, signature, timestamp, passphrase...). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A connector's credentials. Exchange-agnostic on purpose: Binance appends an
 * HMAC of the query string, Coinbase signs timestamp+method+path+body into
 * headers, and the REST client needs to know neither. Implementations keep
 * secrets in private fields and never put them in an error or a log.
 */
export interface Auth {
  /** Adds credentials to a request; may be async (WebCrypto, a remote signer). */
  signRest(request: RestRequestToSign): Promise<SignedRestRequest> | SignedRestRequest;
  /**
   * The payload (or a promise of it) that authenticates a WebSocket, for
   * exchanges that log in over the socket. Its shape is the exchange's own.
   */
  wsLogin?(): unknown;
}

/**
 * Percent-encodes a query component strictly (RFC 3986 unreserved characters
 * only). Stricter than `encodeURIComponent` because WHATWG URL parsing would
 * re-encode `'` on the way to the wire and break a signature over the string.
 */
export function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `k1=v1&k2=v2` in the given order, each part encoded with {@link encodeQueryComponent}. */
export function encodeQuery(query: QueryParams): string {
  return query.map(([k, v]) => `${encodeQueryComponent(k)}=${encodeQueryComponent(v)}`).join('&');
}

/** The path with `?query` appended when there are parameters. */
export function pathWithQuery(path: string, query: QueryParams): string {
  return query.length === 0 ? path : `${path}?${encodeQuery(query)}`;
}

/** The request unchanged: what an unsigned call sends. */
export function unsignedRequest(request: RestRequestToSign): SignedRestRequest {
  return { pathAndQuery: pathWithQuery(request.path, request.query), body: request.body, headers: {} };
}
