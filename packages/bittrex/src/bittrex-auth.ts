// Bittrex v3 signing (bittrex.md §6). REST: Api-Key, Api-Timestamp (ms),
// Api-Content-Hash (hex SHA-512 of the body exactly as sent, of "" without one)
// and Api-Signature (hex HMAC-SHA512 of timestamp + full URI + METHOD + content
// hash + subaccount id). SignalR: `Authenticate` with [key, timestamp, random
// content, HMAC-SHA512(timestamp + random content)]. Keys live in core's
// Credentials holder and the secret only in a KeyObject: no JSON, inspect or
// string form of this object can show it.
import { createHash, createHmac, randomUUID, type KeyObject } from 'node:crypto';
import {
  CredentialedAuth,
  hmacKey,
  pathWithQuery,
  trimBaseUrl,
  type Auth,
  type Credentials,
  type HttpMethod,
  type RestRequestToSign,
  type SignedRestRequest,
} from '@hb/core/connector';
import { BITTREX_HEADERS } from './bittrex-constants.js';

/** SHA-512 of the empty string: the content hash of a request without a body. */
export const EMPTY_CONTENT_HASH =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

/** How a {@link BittrexAuth} is built, beyond its credentials and clock. */
export interface BittrexAuthOptions {
  /** Partner subaccount, sent as `Api-Subaccount-Id` and signed. */
  readonly subaccountId?: string;
  /**
   * The REST base including `/v3` (`https://api.bittrex.com/v3`): the signature
   * covers the full URI, scheme and host included.
   */
  readonly restUrl: string;
  /** Random content of a socket `Authenticate` (tests fix it); default a fresh UUID. */
  readonly randomContent?: () => string;
}

/** The arguments of the hub's `Authenticate` call. */
export type BittrexAuthenticateArgs = readonly [
  apiKey: string,
  timestamp: number,
  randomContent: string,
  signature: string,
];

/** Hex SHA-512 of a body (of the empty string when there is none). */
export function bittrexContentHash(body: string | undefined): string {
  return body === undefined || body === ''
    ? EMPTY_CONTENT_HASH
    : createHash('sha512').update(body, 'utf8').digest('hex');
}

/** The string the REST signature covers: plain concatenation, no separators. */
export function bittrexPreSign(
  timestamp: string,
  fullUri: string,
  method: HttpMethod | string,
  contentHash: string,
  subaccountId = '',
): string {
  return `${timestamp}${fullUri}${method.toUpperCase()}${contentHash}${subaccountId}`;
}

/**
 * Signs Bittrex v3 REST calls and socket authentication. Core's
 * `CredentialedAuth` keeps the keys private and prints a mask; the secret is
 * read only into the HMAC key.
 */
export class BittrexAuth extends CredentialedAuth implements Auth {
  readonly #key: KeyObject;
  readonly #subaccountId: string;
  readonly #restUrl: string;
  readonly #randomContent: () => string;

  constructor(credentials: Credentials, serverTime: () => number, options: BittrexAuthOptions) {
    super(credentials, serverTime);
    this.#key = hmacKey(credentials.secret);
    this.#subaccountId = options.subaccountId ?? '';
    this.#restUrl = trimBaseUrl(options.restUrl);
    this.#randomContent = options.randomContent ?? randomUUID;
  }

  protected get authName(): string {
    return 'BittrexAuth';
  }

  /** Hex HMAC-SHA512 of `text` under the secret. */
  hmac(text: string): string {
    return createHmac('sha512', this.#key).update(text, 'utf8').digest('hex');
  }

  /** Adds the four (five with a subaccount) Api-* headers; the path, query and body go out as signed. */
  signRest(request: RestRequestToSign): SignedRestRequest {
    const pathAndQuery = pathWithQuery(request.path, request.query);
    const timestamp = String(Math.floor(this.serverTime()));
    const contentHash = bittrexContentHash(request.body);
    const signature = this.hmac(
      bittrexPreSign(
        timestamp,
        this.#restUrl + pathAndQuery,
        request.method,
        contentHash,
        this.#subaccountId,
      ),
    );
    return {
      pathAndQuery,
      body: request.body,
      headers: {
        [BITTREX_HEADERS.key]: this.credentials.apiKey,
        [BITTREX_HEADERS.timestamp]: timestamp,
        [BITTREX_HEADERS.contentHash]: contentHash,
        [BITTREX_HEADERS.signature]: signature,
        ...(this.#subaccountId === '' ? {} : { [BITTREX_HEADERS.subaccount]: this.#subaccountId }),
        ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
    };
  }

  /**
   * The arguments of `Authenticate`: a fresh timestamp and random content each
   * time (renewals included); the signature in upper-case hex as in Bittrex's
   * own sample client.
   */
  authenticateArgs(): BittrexAuthenticateArgs {
    const timestamp = Math.floor(this.serverTime());
    const randomContent = this.#randomContent();
    return [
      this.credentials.apiKey,
      timestamp,
      randomContent,
      this.hmac(`${timestamp}${randomContent}`).toUpperCase(),
    ];
  }

  /** Core's socket-login hook: the `Authenticate` arguments. */
  wsLogin(): BittrexAuthenticateArgs {
    return this.authenticateArgs();
  }
}
