// Huobi Signature Version 2 (huobi.md §6) and the v2.1 WebSocket login (§8).
// REST: AccessKeyId, SignatureMethod, SignatureVersion and Timestamp are added to
// the query; every query pair is percent-encoded (upper-case hex) and sorted by
// key in ASCII order; the pre-sign string is METHOD, host, path and that query
// on four lines; the base64 HMAC-SHA256 goes last as `Signature`. A POST body is
// not signed. The secret is read once into a KeyObject; core's CredentialedAuth
// makes the signer print as a mask.
import { createHmac, type KeyObject } from 'node:crypto';
import {
  CredentialedAuth,
  encodeQueryComponent,
  hmacKey,
  type Auth,
  type Credentials,
  type HttpMethod,
  type QueryParams,
  type RestRequestToSign,
  type SignedRestRequest,
} from '@hb/core/connector';
import { HUOBI_SIGNATURE, HUOBI_WS_PATHS } from './huobi-constants.js';
import { huobiTimestamp } from './huobi-utils.js';

/** How a {@link HuobiAuth} is built. */
export interface HuobiAuthOptions {
  /** Access Key and Secret Key. */
  readonly credentials: Credentials;
  /**
   * The host line of REST signatures, exactly as the request's `Host` header
   * will carry it: lower case, with the port when it is not the scheme's default
   * (`api.huobi.pro`, `127.0.0.1:53127`).
   */
  readonly restHost: string;
  /** The host of the account WebSocket, for the v2.1 login signature. */
  readonly wsHost: string;
  /** The exchange's clock in ms (a 5-minute tolerance; the FAQ advises under 1 minute). */
  readonly serverTime: () => number;
}

/** The `params` of the v2.1 `auth` request. */
export interface HuobiWsAuthParams {
  readonly authType: 'api';
  readonly accessKey: string;
  readonly signatureMethod: string;
  readonly signatureVersion: string;
  readonly timestamp: string;
  readonly signature: string;
}

/** The v2.1 login frame. */
export interface HuobiWsAuthRequest {
  readonly action: 'req';
  readonly ch: 'auth';
  readonly params: HuobiWsAuthParams;
}

/** Pairs sorted by key in ASCII order (upper case first), each part encoded, joined with `&`. */
export function huobiCanonicalQuery(params: QueryParams): string {
  return [...params]
    .map(([k, v]) => [encodeQueryComponent(k), encodeQueryComponent(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** The four-line pre-sign string (no trailing newline). */
export function huobiPreSign(method: HttpMethod, host: string, path: string, params: QueryParams): string {
  return `${method.toUpperCase()}\n${host.toLowerCase()}\n${path}\n${huobiCanonicalQuery(params)}`;
}

/** Base64 HMAC-SHA256 of `preSign` keyed with the UTF-8 secret. */
export function huobiSign(secret: string | KeyObject, preSign: string): string {
  return createHmac('sha256', secret).update(preSign, 'utf8').digest('base64');
}

/** The host part of a URL as a `Host` header carries it (port only when not the default). */
export function hostOf(url: string): string {
  return new URL(url).host.toLowerCase();
}

/** Signs REST requests and builds the account-stream login for one API key. */
export class HuobiAuth extends CredentialedAuth implements Auth {
  readonly #key: KeyObject;
  readonly #restHost: string;
  readonly #wsHost: string;

  constructor(options: HuobiAuthOptions) {
    super(options.credentials, options.serverTime);
    this.#key = hmacKey(options.credentials.secret, 'utf8');
    this.#restHost = options.restHost.toLowerCase();
    this.#wsHost = options.wsHost.toLowerCase();
  }

  protected get authName(): string {
    return 'HuobiAuth';
  }

  /**
   * Adds the four auth parameters to the query, sorts and encodes it, and
   * appends `Signature`. The body (JSON for POST) goes out unsigned, unchanged.
   */
  signRest(request: RestRequestToSign): SignedRestRequest {
    const params: QueryParams = [
      ['AccessKeyId', this.credentials.apiKey],
      ['SignatureMethod', HUOBI_SIGNATURE.method],
      ['SignatureVersion', HUOBI_SIGNATURE.restVersion],
      ['Timestamp', huobiTimestamp(this.serverTime())],
      ...request.query,
    ];
    const pre = huobiPreSign(request.method, this.#restHost, request.path, params);
    const signature = huobiSign(this.#key, pre);
    return {
      pathAndQuery: `${request.path}?${huobiCanonicalQuery(params)}&Signature=${encodeQueryComponent(signature)}`,
      body: request.body,
      headers: request.body === undefined ? {} : { 'Content-Type': 'application/json' },
    };
  }

  /**
   * The v2.1 `auth` request: the same recipe over `GET`, the account socket's
   * host, `/ws/v2` and the four lower-case parameters; values in the JSON are
   * not encoded. Made anew per connection: the timestamp is time-bound.
   */
  wsLogin(): HuobiWsAuthRequest {
    const timestamp = huobiTimestamp(this.serverTime());
    const params: QueryParams = [
      ['accessKey', this.credentials.apiKey],
      ['signatureMethod', HUOBI_SIGNATURE.method],
      ['signatureVersion', HUOBI_SIGNATURE.wsVersion],
      ['timestamp', timestamp],
    ];
    const signature = huobiSign(this.#key, huobiPreSign('GET', this.#wsHost, HUOBI_WS_PATHS.account, params));
    return {
      action: 'req',
      ch: 'auth',
      params: {
        authType: 'api',
        accessKey: this.credentials.apiKey,
        signatureMethod: HUOBI_SIGNATURE.method,
        signatureVersion: HUOBI_SIGNATURE.wsVersion,
        timestamp,
        signature,
      },
    };
  }
}
