// CB-ACCESS-* signing (coinbase-pro.md §6): base64 HMAC-SHA256, keyed with the
// base64-decoded secret, of timestamp + METHOD + path(+?query) + body. The same
// signature over `GET /users/self/verify` authenticates a WebSocket
// subscription. The keys live in core's Credentials and the secret in a
// KeyObject, so neither can leak through JSON, util.inspect or string
// conversion (they necessarily appear in the headers and auth fields we send).
import { createHmac, type KeyObject } from 'node:crypto';
import {
  CredentialedAuth,
  HbError,
  hmacKey,
  pathWithQuery,
  type Auth,
  type Credentials,
  type HttpMethod,
  type RestRequestToSign,
  type SignedRestRequest,
} from '@hb/core/connector';
import { COINBASE_PRO_EXCHANGE, COINBASE_PRO_HEADERS, COINBASE_PRO_PATHS } from './coinbase-pro-constants.js';
import type { CoinbaseProWsAuthFields } from './coinbase-pro-types.js';

/** How a {@link CoinbaseProAuth} is built. */
export interface CoinbaseProAuthOptions {
  /** The key, the base64 secret shown at key creation, and the passphrase chosen then. */
  readonly credentials: Credentials;
  /**
   * The exchange's clock in ms (core's `ServerTimeSync.now()`): requests more
   * than 30 s off the server's time are refused.
   */
  readonly serverTime: () => number;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * ms -> `CB-ACCESS-TIMESTAMP`: seconds since epoch, with the millisecond fraction
 * when there is one (decimals are allowed; whole seconds print as integers, as
 * in the documented examples). Integer arithmetic, so no float artefacts.
 */
export function formatCoinbaseProTimestamp(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${COINBASE_PRO_EXCHANGE}: bad clock value ${ms}`);
  const whole = Math.floor(ms);
  const seconds = Math.floor(whole / 1000);
  const frac = whole % 1000;
  return frac === 0 ? String(seconds) : `${seconds}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

/** The string that is signed: timestamp + METHOD + requestPath (with `?query`) + body. */
export function coinbaseProPrehash(
  timestamp: string,
  method: HttpMethod,
  requestPath: string,
  body: string | undefined,
): string {
  return `${timestamp}${method.toUpperCase()}${requestPath}${body ?? ''}`;
}

/** Signs Coinbase Exchange requests with a key, base64 secret and passphrase. */
export class CoinbaseProAuth extends CredentialedAuth implements Auth {
  readonly #key: KeyObject;

  constructor(options: CoinbaseProAuthOptions) {
    super(options.credentials, options.serverTime);
    const { secret, passphrase } = options.credentials;
    if (passphrase === undefined || passphrase.isEmpty) {
      throw new HbError('authentication', `${COINBASE_PRO_EXCHANGE}: an API passphrase is required`, {
        exchange: COINBASE_PRO_EXCHANGE,
        retryable: false,
      });
    }
    // Buffer.from(..., 'base64') skips characters it does not know, which would
    // sign with a different key than the user meant: refuse instead (without
    // quoting the secret).
    if (!BASE64.test(secret.reveal()))
      throw new HbError('authentication', `${COINBASE_PRO_EXCHANGE}: the API secret is not base64`, {
        exchange: COINBASE_PRO_EXCHANGE,
        retryable: false,
      });
    this.#key = hmacKey(secret, 'base64');
  }

  protected get authName(): string {
    return 'CoinbaseProAuth';
  }

  /** Base64 HMAC-SHA256 of `prehash` under the decoded secret. */
  sign(prehash: string): string {
    return createHmac('sha256', this.#key).update(prehash, 'utf8').digest('base64');
  }

  /**
   * Adds the four CB-ACCESS headers and `Content-Type: application/json`. The
   * query is signed as part of the path and sent in the caller's order, and the
   * body is signed exactly as it will be sent: the signature covers bytes.
   */
  signRest(request: RestRequestToSign): SignedRestRequest {
    const pathAndQuery = pathWithQuery(request.path, request.query);
    const timestamp = this.timestamp();
    const signature = this.sign(coinbaseProPrehash(timestamp, request.method, pathAndQuery, request.body));
    return {
      pathAndQuery,
      body: request.body,
      headers: {
        [COINBASE_PRO_HEADERS.key]: this.credentials.apiKey,
        [COINBASE_PRO_HEADERS.sign]: signature,
        [COINBASE_PRO_HEADERS.timestamp]: timestamp,
        [COINBASE_PRO_HEADERS.passphrase]: this.passphrase(),
        'Content-Type': 'application/json',
      },
    };
  }

  /**
   * The fields that authenticate a `subscribe`: a signature of
   * `GET /users/self/verify` with an empty body. Time-bound, so build them anew
   * for every (re)connection.
   */
  wsAuthFields(): CoinbaseProWsAuthFields {
    const timestamp = this.timestamp();
    return {
      key: this.credentials.apiKey,
      passphrase: this.passphrase(),
      timestamp,
      signature: this.sign(
        coinbaseProPrehash(timestamp, 'GET', COINBASE_PRO_PATHS.usersSelfVerify, undefined),
      ),
    };
  }

  /** Core's hook for socket logins: the subscribe auth fields. */
  wsLogin(): CoinbaseProWsAuthFields {
    return this.wsAuthFields();
  }

  private passphrase(): string {
    // Checked in the constructor.
    return this.credentials.passphrase?.reveal() ?? '';
  }

  private timestamp(): string {
    return formatCoinbaseProTimestamp(this.serverTime());
  }
}
