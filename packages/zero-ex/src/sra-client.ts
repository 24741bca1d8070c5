import { randomUUID } from 'node:crypto';
import { HbError, reasonFromHttpStatus } from '@hb/core';
import { RestClient, WsConnection, type QueryInput, type WsState } from '@hb/core/connector';
import { Subject, type Observable } from 'rxjs';
import { orderToSraJson, parseSraOrderRecord, type SraOrderRecord } from './sra-json.js';
import {
  describe as describeValue,
  getAddressSafe,
  type SignedZeroExOrder,
  type ZeroExVersion,
} from './order.js';
import { ZeroExError } from './zero-ex-errors.js';

/** Options of {@link SraClient}. */
export interface SraClientOptions {
  /**
   * The relayer's SRA root, with its version path: `https://sra.example.com/v2`,
   * `https://api.radarrelay.com/0x/v3`. Paths (`/orderbook`, ...) go below it.
   */
  readonly url: string;
  readonly version: ZeroExVersion;
  /** The WebSocket endpoint (relayer-defined, e.g. `wss://ws.example.com/v3`), for {@link SraClient.orderStream}. */
  readonly wsUrl?: string;
  /**
   * The chain. v2 sends it as `networkId` on every request (default 1); v3
   * (one URL per chain) checks that every order received is for it.
   */
  readonly chainId?: number;
  /** Records per page asked for when the caller does not say. Default 100. */
  readonly perPage?: number;
  /** Per-request timeout, ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Name for errors and logs. Default `sra`. */
  readonly name?: string;
  /** `fetch` for ky (tests). */
  readonly fetch?: typeof fetch;
}

/** Paging of SRA lists (1-indexed pages). */
export interface SraPageQuery {
  readonly page?: number;
  readonly perPage?: number;
}

/** One page of an SRA list. */
export interface SraPage<T> {
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
  readonly records: readonly T[];
}

/** One side of an asset pair (`/asset_pairs`). */
export interface SraAssetPairSide {
  readonly assetData: string;
  readonly minAmount: bigint;
  readonly maxAmount: bigint;
  /** Decimal places the relayer shows. */
  readonly precision: number;
}

/** A tradable pair. */
export interface SraAssetPair {
  readonly assetDataA: SraAssetPairSide;
  readonly assetDataB: SraAssetPairSide;
}

/** Filters of `/orders` (and of the WebSocket orders channel, except paging). */
export interface SraOrdersQuery extends SraPageQuery {
  readonly makerAssetProxyId?: string;
  readonly takerAssetProxyId?: string;
  readonly makerAssetAddress?: string;
  readonly takerAssetAddress?: string;
  /** v2 only. */
  readonly exchangeAddress?: string;
  readonly senderAddress?: string;
  readonly makerAssetData?: string;
  readonly takerAssetData?: string;
  readonly traderAssetData?: string;
  readonly makerAddress?: string;
  readonly takerAddress?: string;
  readonly traderAddress?: string;
  readonly feeRecipientAddress?: string;
  /** v3 only. */
  readonly makerFeeAssetData?: string;
  /** v3 only. */
  readonly takerFeeAssetData?: string;
}

/** An order book page: bids price-descending, asks ascending, as the relayer sorted them. */
export interface SraOrderbook {
  readonly bids: SraPage<SraOrderRecord>;
  readonly asks: SraPage<SraOrderRecord>;
}

/** `POST /order_config` input: the order being built (amounts as bigint). */
export interface SraOrderConfigRequest {
  readonly makerAddress: string;
  readonly takerAddress: string;
  readonly makerAssetAmount: bigint;
  readonly takerAssetAmount: bigint;
  readonly makerAssetData: string;
  readonly takerAssetData: string;
  readonly expirationTimeSeconds: bigint;
  readonly exchangeAddress: string;
}

/** What the relayer wants in the order (`POST /order_config`). */
export interface SraOrderConfig {
  readonly senderAddress: string;
  readonly feeRecipientAddress: string;
  readonly makerFee: bigint;
  readonly takerFee: bigint;
  /** v3 only (`0x` for v2). */
  readonly makerFeeAssetData: string;
  /** v3 only (`0x` for v2). */
  readonly takerFeeAssetData: string;
}

/** One SRA validation error (`400` answers). */
export interface SraValidationError {
  readonly field: string;
  readonly code: number;
  readonly reason: string;
}

/** The typed error of a refused SRA request: `relayer_rejected` with the relayer's validation errors. */
export class SraRequestError extends ZeroExError {
  /** The relayer's general code (100 validation failed, 101 malformed JSON, 102 submission disabled, 103 throttled). */
  readonly code: number | undefined;
  /** Per-field refusals (1000 required ... 1006 unsupported option). */
  readonly validationErrors: readonly SraValidationError[];

  constructor(
    message: string,
    status: number,
    code: number | undefined,
    validationErrors: readonly SraValidationError[],
  ) {
    super('relayer_rejected', message, {
      httpStatus: status,
      ...(code !== undefined ? { exchangeCode: code } : {}),
      // 103 "throttled" is the relayer asking us to slow down: retry later.
      retryable: code === 103,
    });
    this.name = 'SraRequestError';
    this.code = code;
    this.validationErrors = validationErrors;
  }
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * A Standard Relayer API client (v2 and v3): REST through core's `RestClient`
 * (ky; GETs retried on 429 / 5xx / timeouts, POSTs never resent) and the
 * WebSocket orders channel through core's `WsConnection` (ws; reconnects and
 * re-subscribes). Every order is parsed strictly and keyed by its recomputed hash.
 */
export class SraClient {
  /** The SRA version spoken (v2 paths and JSON, or v3). */
  readonly version: ZeroExVersion;
  private readonly rest: RestClient;
  private readonly name: string;

  constructor(private readonly options: SraClientOptions) {
    this.version = options.version;
    this.name = options.name ?? 'sra';
    this.rest = new RestClient({
      baseUrl: options.url,
      exchange: this.name,
      timeoutMs: options.timeoutMs ?? 10_000,
      classifyError: (status, body, headers) => this.classify(status, body, headers),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** Tradable pairs, optionally those with `assetDataA` / `assetDataB`. */
  getAssetPairs(
    query: { assetDataA?: string; assetDataB?: string } & SraPageQuery = {},
  ): Promise<SraPage<SraAssetPair>> {
    return this.get('/asset_pairs', { ...query }, (json) => this.page(json, parseAssetPair));
  }

  /** Orders matching the filters (sorted by price only when both maker and taker asset data are given). */
  getOrders(query: SraOrdersQuery = {}): Promise<SraPage<SraOrderRecord>> {
    return this.get('/orders', { ...query }, (json) => this.page(json, (r) => this.record(r)));
  }

  /** One order by hash; `ZeroExError('order_not_found')` when the relayer does not know it. */
  async getOrder(orderHash: string): Promise<SraOrderRecord> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(orderHash))
      throw new ZeroExError(
        'invalid_order',
        `an order hash is 32 bytes of hex, got ${describeValue(orderHash)}`,
      );
    return this.get(
      `/order/${orderHash.toLowerCase()}`,
      {},
      (json) => {
        const rec = this.record(json);
        if (rec.orderHash !== orderHash.toLowerCase())
          throw new ZeroExError('malformed_json', `asked for order ${orderHash}, got ${rec.orderHash}`);
        return rec;
      },
      false,
    );
  }

  /** One page of each side of a market's book. */
  getOrderbook(
    query: { baseAssetData: string; quoteAssetData: string } & SraPageQuery,
  ): Promise<SraOrderbook> {
    return this.get('/orderbook', { ...query }, (json) => {
      const o = obj(json, 'orderbook');
      return {
        bids: this.page(o['bids'], (r) => this.record(r)),
        asks: this.page(o['asks'], (r) => this.record(r)),
      };
    });
  }

  /** Both sides of a market's book, every page (stops at `maxPages`, default 100). */
  async getFullOrderbook(
    query: { baseAssetData: string; quoteAssetData: string; perPage?: number },
    maxPages = 100,
  ): Promise<{ bids: SraOrderRecord[]; asks: SraOrderRecord[] }> {
    const bids: SraOrderRecord[] = [];
    const asks: SraOrderRecord[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const book = await this.getOrderbook({ ...query, page });
      bids.push(...book.bids.records);
      asks.push(...book.asks.records);
      const more = (p: SraPage<SraOrderRecord>) => p.records.length > 0 && p.page * p.perPage < p.total;
      if (!more(book.bids) && !more(book.asks)) return { bids, asks };
    }
    throw new ZeroExError('malformed_json', `the order book has more than ${maxPages} pages`);
  }

  /** The fields the relayer wants in an order (fees, fee recipient, sender). */
  getOrderConfig(request: SraOrderConfigRequest): Promise<SraOrderConfig> {
    // The SRA order-config payload: exactly these fields (v3 selects the chain by URL).
    const body: Record<string, string> = {
      makerAddress: request.makerAddress.toLowerCase(),
      takerAddress: request.takerAddress.toLowerCase(),
      makerAssetAmount: request.makerAssetAmount.toString(),
      takerAssetAmount: request.takerAssetAmount.toString(),
      makerAssetData: request.makerAssetData.toLowerCase(),
      takerAssetData: request.takerAssetData.toLowerCase(),
      expirationTimeSeconds: request.expirationTimeSeconds.toString(),
      exchangeAddress: request.exchangeAddress.toLowerCase(),
    };
    return this.rest.request({
      method: 'POST',
      path: '/order_config',
      query: this.baseQuery({}),
      body,
      // Reading a config changes nothing: safe to resend.
      idempotent: true,
      parse: (json) => {
        const o = obj(json, 'order config');
        return {
          senderAddress: address(o, 'senderAddress'),
          feeRecipientAddress: address(o, 'feeRecipientAddress'),
          makerFee: uint(o, 'makerFee'),
          takerFee: uint(o, 'takerFee'),
          makerFeeAssetData: this.version === 'v3' ? hex(o, 'makerFeeAssetData') : '0x',
          takerFeeAssetData: this.version === 'v3' ? hex(o, 'takerFeeAssetData') : '0x',
        };
      },
    });
  }

  /** Fee recipient addresses the relayer uses. */
  getFeeRecipients(query: SraPageQuery = {}): Promise<SraPage<string>> {
    return this.get('/fee_recipients', { ...query }, (json) =>
      this.page(json, (r) => {
        if (typeof r !== 'string')
          throw new ZeroExError('malformed_json', 'a fee recipient must be an address string');
        return getAddressSafe(r, 'fee recipient');
      }),
    );
  }

  /**
   * Posts a signed order (201 on success). A refusal is an {@link SraRequestError}
   * with the relayer's validation errors; a timeout or 5xx leaves the outcome
   * unknown (`outcomeUnknown`): look the order up by hash before posting again.
   */
  async postOrder(signed: SignedZeroExOrder): Promise<void> {
    await this.rest.request({
      method: 'POST',
      path: '/order',
      query: this.baseQuery({}),
      body: orderToSraJson(signed, this.version),
      idempotent: false,
    });
  }

  /**
   * A WebSocket orders stream (not yet connected: call `connect()`). SRA has no
   * sequence numbers and no snapshot: subscribe, then take a REST snapshot,
   * and take a new one whenever `state$` says `reconnected`.
   */
  orderStream(): SraOrderStream {
    const url = this.options.wsUrl;
    if (!url) throw new ZeroExError('not_supported', `${this.name}: no wsUrl configured`);
    return new SraOrderStream(url, this.version, this.name, this.options.chainId, (json) =>
      this.record(json),
    );
  }

  // ---------------------------------------------------------------- internals

  private get<T>(
    path: string,
    query: Record<string, string | number | undefined>,
    parse: (json: unknown) => T,
    paged = true,
  ): Promise<T> {
    const q = paged ? { ...query, perPage: query['perPage'] ?? this.options.perPage ?? 100 } : query;
    return this.rest.request({ method: 'GET', path, query: this.baseQuery(q), parse: (json) => parse(json) });
  }

  private baseQuery(query: Record<string, string | number | undefined>): QueryInput {
    const out: Record<string, string | number | undefined> = {};
    for (const [k, v] of Object.entries(query))
      out[k] = typeof v === 'string' && v.startsWith('0x') ? v.toLowerCase() : v;
    if (this.version === 'v2') out['networkId'] = this.options.chainId ?? 1;
    return out;
  }

  private record(json: unknown): SraOrderRecord {
    const rec = parseSraOrderRecord(json, {
      version: this.version,
      ...(this.options.chainId !== undefined ? { chainId: this.options.chainId } : {}),
    });
    return rec;
  }

  private page<T>(json: unknown, item: (r: unknown) => T): SraPage<T> {
    const o = obj(json, 'page');
    const records = o['records'];
    if (!Array.isArray(records)) throw new ZeroExError('malformed_json', 'a page must have a records array');
    return {
      total: count(o, 'total'),
      page: count(o, 'page'),
      perPage: count(o, 'perPage'),
      records: records.map(item),
    };
  }

  private classify(status: number, body: unknown, headers: Headers): HbError {
    const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const reason = typeof b['reason'] === 'string' ? b['reason'] : undefined;
    if (status === 404)
      return new ZeroExError('order_not_found', `${this.name}: not found${reason ? `: ${reason}` : ''}`, {
        httpStatus: status,
      });
    if (status === 400 || status === 422) {
      const code = typeof b['code'] === 'number' ? b['code'] : undefined;
      const errors: SraValidationError[] = Array.isArray(b['validationErrors'])
        ? (b['validationErrors'] as unknown[]).flatMap((v) => {
            if (!v || typeof v !== 'object') return [];
            const e = v as Record<string, unknown>;
            return [
              {
                field: String(e['field'] ?? ''),
                code: Number(e['code'] ?? 0),
                reason: String(e['reason'] ?? ''),
              },
            ];
          })
        : [];
      const detail = errors.map((e) => `${e.field}: ${e.reason} (${e.code})`).join('; ');
      return new SraRequestError(
        `${this.name}: refused (${code ?? status}${reason ? ` ${reason}` : ''})${detail ? `: ${detail}` : ''}`,
        status,
        code,
        errors,
      );
    }
    const retryAfter = Number(headers.get('retry-after'));
    return new HbError(
      reasonFromHttpStatus(status),
      `${this.name}: answered HTTP ${status}${reason ? `: ${reason}` : ''}`,
      {
        exchange: this.name,
        httpStatus: status,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      },
    );
  }
}

/** Records the relayer pushed for one subscription. */
export interface SraOrderUpdate {
  /** The subscription's request id. */
  readonly requestId: string;
  readonly records: readonly SraOrderRecord[];
  /** Local ms when the frame arrived. */
  readonly receivedAt: number;
}

/** Filters of one orders subscription. */
export type SraOrdersSubscription = Omit<
  SraOrdersQuery,
  | 'page'
  | 'perPage'
  | 'exchangeAddress'
  | 'senderAddress'
  | 'makerAddress'
  | 'takerAddress'
  | 'traderAddress'
  | 'feeRecipientAddress'
  | 'makerFeeAssetData'
  | 'takerFeeAssetData'
>;

/**
 * The SRA WebSocket orders channel: subscriptions survive reconnects (they are
 * sent again on every new socket), updates are parsed strictly (a bad record
 * goes to `errors$` and the rest of the frame still counts).
 */
export class SraOrderStream {
  private readonly connection: WsConnection;
  private readonly subscriptions = new Map<string, SraOrdersSubscription>();
  private readonly updates = new Subject<SraOrderUpdate>();
  private readonly errors = new Subject<HbError>();

  /** Parsed updates of the live subscriptions. */
  readonly updates$: Observable<SraOrderUpdate> = this.updates.asObservable();
  /** Frames or records that could not be used (typed), and connection problems. */
  readonly errors$: Observable<HbError> = this.errors.asObservable();
  /** The socket's life: after a `connected` with `reconnected: true`, take a new REST snapshot. */
  readonly state$: Observable<WsState>;

  constructor(
    url: string,
    private readonly version: ZeroExVersion,
    private readonly name: string,
    private readonly chainId: number | undefined,
    private readonly parseRecord: (json: unknown) => SraOrderRecord,
  ) {
    this.connection = new WsConnection({
      url,
      name: `${name} orders`,
      onOpen: () => [...this.subscriptions].map(([id, filters]) => this.subscribeMessage(id, filters)),
    });
    this.state$ = this.connection.state$;
    this.connection.messages$.subscribe((m) => this.onFrame(m.data, m.receivedAt));
    this.connection.errors$.subscribe((e) => this.errors.next(e));
  }

  /** Opens the socket (and sends the subscriptions made so far). */
  connect(): Promise<void> {
    return this.connection.connect();
  }

  /** Subscribes to orders matching `filters` (empty: everything); returns the request id updates carry. */
  async subscribe(filters: SraOrdersSubscription = {}): Promise<string> {
    const id = randomUUID();
    this.subscriptions.set(id, { ...filters });
    if (this.connection.state.status === 'connected')
      await this.connection.send(this.subscribeMessage(id, filters));
    return id;
  }

  /** Stops delivering a subscription (SRA has no unsubscribe message: it is just not renewed on reconnect). */
  unsubscribe(requestId: string): void {
    this.subscriptions.delete(requestId);
  }

  /** Closes the socket and completes the streams. */
  async close(): Promise<void> {
    await this.connection.close();
    this.updates.complete();
    this.errors.complete();
  }

  private subscribeMessage(requestId: string, filters: SraOrdersSubscription): object {
    const payload: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(filters)) if (typeof v === 'string') payload[k] = v.toLowerCase();
    if (this.version === 'v2') payload['networkId'] = this.chainId ?? 1;
    return { type: 'subscribe', channel: 'orders', requestId, payload };
  }

  private onFrame(text: string, receivedAt: number): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      this.errors.next(
        new ZeroExError('malformed_json', `${this.name}: a frame is not JSON: ${text.slice(0, 80)}`, {
          cause: e,
        }),
      );
      return;
    }
    const f = frame && typeof frame === 'object' ? (frame as Record<string, unknown>) : undefined;
    if (!f || f['type'] !== 'update' || f['channel'] !== 'orders') {
      this.errors.next(
        new ZeroExError('malformed_json', `${this.name}: unexpected frame ${text.slice(0, 80)}`),
      );
      return;
    }
    const requestId = f['requestId'];
    if (typeof requestId !== 'string' || !this.subscriptions.has(requestId)) return; // an old or foreign subscription
    const payload = f['payload'];
    if (!Array.isArray(payload)) {
      this.errors.next(
        new ZeroExError('malformed_json', `${this.name}: an update's payload must be an array`),
      );
      return;
    }
    const records: SraOrderRecord[] = [];
    for (const r of payload) {
      try {
        records.push(this.parseRecord(r));
      } catch (e) {
        this.errors.next(
          e instanceof HbError
            ? e
            : new ZeroExError('malformed_json', `${this.name}: bad record`, { cause: e }),
        );
      }
    }
    if (records.length > 0) this.updates.next({ requestId, records, receivedAt });
  }
}

function obj(json: unknown, what: string): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new ZeroExError('malformed_json', `${what} must be a JSON object, got ${describeValue(json)}`);
  return json as Record<string, unknown>;
}

function count(o: Record<string, unknown>, field: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new ZeroExError(
      'malformed_json',
      `${field} must be a non-negative integer, got ${describeValue(v)}`,
    );
  return v;
}

function uint(o: Record<string, unknown>, field: string): bigint {
  const v = o[field];
  if (typeof v !== 'string' || !DECIMAL.test(v))
    throw new ZeroExError(
      'malformed_json',
      `${field} must be a base-10 integer string, got ${describeValue(v)}`,
    );
  return BigInt(v);
}

function hex(o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v))
    throw new ZeroExError('malformed_json', `${field} must be hex bytes, got ${describeValue(v)}`);
  return v.toLowerCase();
}

function address(o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (typeof v !== 'string')
    throw new ZeroExError('malformed_json', `${field} must be an address, got ${describeValue(v)}`);
  return getAddressSafe(v, field);
}

function parseAssetPair(json: unknown): SraAssetPair {
  const o = obj(json, 'asset pair');
  const side = (k: string): SraAssetPairSide => {
    const s = obj(o[k], k);
    const precision = s['precision'];
    if (typeof precision !== 'number' || !Number.isSafeInteger(precision) || precision < 0)
      throw new ZeroExError('malformed_json', `${k}.precision must be a non-negative integer`);
    return {
      assetData: hex(s, 'assetData'),
      minAmount: uint(s, 'minAmount'),
      maxAmount: uint(s, 'maxAmount'),
      precision,
    };
  };
  return { assetDataA: side('assetDataA'), assetDataB: side('assetDataB') };
}
