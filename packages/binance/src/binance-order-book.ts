// Binance market data -> core book messages (binance.md §4, §5): depth snapshot,
// diff depth, trades, the combined-stream envelope, and a specialised scanner
// for depthUpdate frames that feeds levels to a sink without JSON.parse and
// without allocating per level (diffs are the hot path of every book).
import {
  WIRE_MAX_FRACTION_DIGITS,
  WIRE_MAX_INTEGER_DIGITS,
  type BookLevel,
  type DiffMessage,
  type SnapshotMessage,
  type TradeMessage,
  isPositiveDecimal,
  isUnsignedDecimal,
  type WireObject,
} from '@hb/core/connector';
import {
  asArray,
  asObject,
  checkRange,
  malformed,
  readBoolean,
  readDecimal,
  readNumber,
  readPositiveDecimal,
  readSequence,
  readString,
  type SymbolMap,
  readBookSnapshot,
} from './binance-utils.js';

// ------------------------------------------------------------- envelopes ----

/** A market-stream payload with the stream it came on (undefined on raw `/ws/` connections). */
export interface MarketPayload {
  readonly stream: string | undefined;
  readonly data: unknown;
}

/**
 * Unwraps a combined-stream frame `{stream, data}`; a raw-stream payload is
 * returned as is. Keeping both shapes here lets data sources use either URL form.
 */
export function unwrapCombinedStream(frame: unknown): MarketPayload {
  if (typeof frame === 'object' && frame !== null && !Array.isArray(frame)) {
    const o = frame as WireObject;
    if (typeof o['stream'] === 'string' && 'data' in o) return { stream: o['stream'], data: o['data'] };
  }
  return { stream: undefined, data: frame };
}

// --------------------------------------------------------------- parsers ----

function parseLevels(raw: unknown, what: string): BookLevel[] {
  return asArray(raw, what).map((level) => {
    const l = asArray(level, what);
    const price = l[0];
    const qty = l[1];
    if (
      l.length !== 2 ||
      typeof price !== 'string' ||
      typeof qty !== 'string' ||
      !isPositiveDecimal(price) ||
      !isUnsignedDecimal(qty)
    ) {
      throw malformed(`${what} level (expected [price > 0, qty >= 0] decimal strings in range)`);
    }
    return [Number(price), Number(qty)] as const;
  });
}

/**
 * `GET /api/v3/depth` -> snapshot. The response carries no time, so the caller
 * passes the local receive time; `lastUpdateId` is the book sequence.
 */
export function parseDepthSnapshot(raw: unknown, tradingPair: string, receivedAt: number): SnapshotMessage {
  const book = readBookSnapshot(raw, 'depth snapshot', 'lastUpdateId', parseLevels);
  return { type: 'snapshot', tradingPair, timestamp: receivedAt, ...book };
}

/** A `depthUpdate` event (unwrapped) -> diff: `U` is the first update id, `u` the last. */
export function parseDepthUpdate(raw: unknown, symbols: SymbolMap): DiffMessage {
  const o = asObject(raw, 'depthUpdate');
  if (o['e'] !== 'depthUpdate') throw malformed('depthUpdate (wrong event type)');
  const first = readSequence(o, 'U', 'depthUpdate');
  const last = readSequence(o, 'u', 'depthUpdate');
  checkRange(first, last, 'depthUpdate');
  return {
    type: 'diff',
    tradingPair: symbols.toPair(readString(o, 's', 'depthUpdate')),
    firstUpdateId: first,
    updateId: last,
    timestamp: readNumber(o, 'E', 'depthUpdate'),
    bids: parseLevels(o['b'], 'depthUpdate bids'),
    asks: parseLevels(o['a'], 'depthUpdate asks'),
  };
}

/** A `trade` event (unwrapped) -> trade. `m` true: the buyer was maker, so the taker sold. */
export function parseTradeEvent(raw: unknown, symbols: SymbolMap): TradeMessage {
  const o = asObject(raw, 'trade');
  if (o['e'] !== 'trade') throw malformed('trade (wrong event type)');
  return {
    type: 'trade',
    tradingPair: symbols.toPair(readString(o, 's', 'trade')),
    tradeId: String(readSequence(o, 't', 'trade')),
    price: Number(readPositiveDecimal(o, 'p', 'trade')),
    amount: Number(readDecimal(o, 'q', 'trade')),
    side: readBoolean(o, 'm', 'trade') ? 'sell' : 'buy',
    timestamp: readNumber(o, 'T', 'trade'),
  };
}

// ------------------------------------------------------- depth scanner ----

/**
 * Receives one depthUpdate from {@link parseDepthUpdateFrame}. `begin` is called
 * only after the whole frame was validated, so a malformed frame never reaches
 * the book half-applied; it returns false to skip the levels (a stale diff).
 */
export interface DepthUpdateSink {
  begin(symbol: string, firstUpdateId: number, lastUpdateId: number, eventTime: number): boolean;
  /** One level: absolute amount, 0 removes the level. */
  level(isBid: boolean, price: number, amount: number): void;
  end(): void;
}

/** What {@link parseDepthUpdateFrame} did with a frame. */
export type DepthFrameResult =
  | { readonly kind: 'depth' }
  /** Not a depthUpdate: the frame as JSON.parse returned it, for the caller's other parsers. */
  | { readonly kind: 'other'; readonly value: unknown };

const DEPTH_HANDLED: DepthFrameResult = Object.freeze({ kind: 'depth' });

const MAX_EXACT = Number.MAX_SAFE_INTEGER;
/** Exact powers of ten up to 10^9 (the most fraction digits the fast path takes). */
const POW10 = Float64Array.from({ length: 10 }, (_, i) => 10 ** i);

const QUOTE = 34;
const COMMA = 44;
const DOT = 46;
const COLON = 58;
const ZERO = 48;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const BACKSLASH = 92;

// Field bits of a depthUpdate object, to require each exactly once.
const F_E = 1;
const F_TIME = 2;
const F_S = 4;
const F_FIRST = 8;
const F_LAST = 16;
const F_B = 32;
const F_A = 64;
const F_ALL = 127;

// Scanner state. The frame is encoded once into a reused byte buffer (native,
// about 100 ns for a 1.4 kB frame) and scanned there: typed-array reads are
// cheaper than charCodeAt, and a 0 sentinel after the last byte stops every
// loop without bounds checks (0 is no digit, quote, bracket or whitespace).
// Plain module variables and functions rather than an object, so V8 keeps the
// hot loop in registers. Every scan function returns the position after what it
// read, or -1 when the frame is not of the canonical shape (the caller then
// takes the JSON.parse path). Strings must be printable ASCII, so byte offsets
// equal string offsets whenever a scan succeeds. Level values wait in growable
// typed arrays until the whole frame is known valid: a sink never sees half a frame.
const encoder = new TextEncoder();
let bytes = new Uint8Array(8192);
let num = 0;
let strStart = 0;
let strEnd = 0;
let eventTime = 0;
let firstId = 0;
let lastId = 0;
let symStart = 0;
let symEnd = 0;
let bidBuf = new Float64Array(512);
let askBuf = new Float64Array(512);
let bidLen = 0;
let askLen = 0;
let emitting = false;

function skipWs(b: Uint8Array, p: number): number {
  for (;;) {
    const c = b[p];
    if (c === 32 || c === 10 || c === 13 || c === 9) p++;
    else return p;
  }
}

/** Position of `code` at `p` (after optional whitespace), or -1. Compact JSON costs one comparison. */
function expectAt(b: Uint8Array, p: number, code: number): number {
  if (b[p] === code) return p;
  const q = skipWs(b, p);
  return b[q] === code ? q : -1;
}

/** A printable-ASCII string without escapes, opening quote at `p`; its content span goes to strStart/strEnd. */
function scanString(b: Uint8Array, p: number): number {
  const start = p + 1;
  for (let i = start; ; i++) {
    const c = b[i] as number;
    if (c === QUOTE) {
      strStart = start;
      strEnd = i;
      return i + 1;
    }
    // Escapes and non-ASCII take the JSON.parse path; the 0 sentinel ends the text.
    if (c === BACKSLASH || c < 32 || c > 126) return -1;
  }
}

/** A non-negative JSON integer of at most 15 digits (ids and times) into `num`. */
function scanInteger(b: Uint8Array, p: number): number {
  const start = p;
  let v = 0;
  let d = (b[p] as number) - ZERO;
  while (d >>> 0 <= 9) {
    v = v * 10 + d;
    d = (b[++p] as number) - ZERO;
  }
  const digits = p - start;
  if (digits === 0 || digits > 15 || (digits > 1 && b[start] === ZERO)) return -1;
  num = v;
  return p;
}

/**
 * A decimal string `"123.45"` (opening quote at `p`) into `num`. Integer and
 * fraction digits accumulate as int32 (up to 9 each), combine exactly into one
 * integer below 2^53, and one division by an exact power of ten gives the
 * correctly rounded double: the same value Number(text) gives. Longer numbers
 * (Binance sends 8 decimals) go through Number() on the slice.
 */
function scanDecimal(t: string, b: Uint8Array, p: number): number {
  const start = p + 1;
  p = start;
  let d = (b[p] as number) - ZERO;
  if (d >>> 0 > 9) return -1;
  let ip = 0;
  do {
    ip = (ip * 10 + d) | 0;
    d = (b[++p] as number) - ZERO;
  } while (d >>> 0 <= 9);
  const intDigits = p - start;
  // Out-of-range numbers take the JSON.parse path, whose readers refuse them with a typed error.
  if (intDigits > WIRE_MAX_INTEGER_DIGITS) return -1;
  const c = b[p];
  if (c === DOT) {
    const dot = ++p;
    d = (b[p] as number) - ZERO;
    if (d >>> 0 > 9) return -1;
    let fp = 0;
    do {
      fp = (fp * 10 + d) | 0;
      d = (b[++p] as number) - ZERO;
    } while (d >>> 0 <= 9);
    if (b[p] !== QUOTE) return -1;
    const k = p - dot;
    if (k > WIRE_MAX_FRACTION_DIGITS) return -1;
    if (intDigits <= 9 && k <= 9) {
      const m = ip * (POW10[k] as number) + fp;
      if (m <= MAX_EXACT) {
        num = m / (POW10[k] as number);
        return p + 1;
      }
    }
    num = Number(t.slice(start, p));
    return p + 1;
  }
  if (c !== QUOTE) return -1;
  num = intDigits <= 9 ? ip : Number(t.slice(start, p));
  return p + 1;
}

/** `[["p","q"],...]` (opening bracket at `p`) into the bid or ask buffer. */
function scanLevels(t: string, b: Uint8Array, p: number, isBid: boolean): number {
  let buf = isBid ? bidBuf : askBuf;
  let n = 0;
  p = skipWs(b, p + 1);
  if (b[p] !== RBRACKET) {
    for (;;) {
      p = expectAt(b, p, LBRACKET);
      if (p < 0) return -1;
      p = expectAt(b, p + 1, QUOTE);
      if (p < 0) return -1;
      p = scanDecimal(t, b, p);
      // A zero price is refused on the JSON.parse path.
      if (p < 0 || !(num > 0)) return -1;
      const price = num;
      p = expectAt(b, p, COMMA);
      if (p < 0) return -1;
      p = expectAt(b, p + 1, QUOTE);
      if (p < 0) return -1;
      p = scanDecimal(t, b, p);
      if (p < 0) return -1;
      p = expectAt(b, p, RBRACKET);
      if (p < 0) return -1;
      if (n + 2 > buf.length) {
        const grown = new Float64Array(buf.length * 2);
        grown.set(buf);
        buf = grown;
        if (isBid) bidBuf = grown;
        else askBuf = grown;
      }
      buf[n] = price;
      buf[n + 1] = num;
      n += 2;
      const q = skipWs(b, p + 1);
      const c = b[q];
      if (c === RBRACKET) {
        p = q;
        break;
      }
      if (c !== COMMA) return -1;
      p = skipWs(b, q + 1);
    }
  }
  if (isBid) bidLen = n;
  else askLen = n;
  return p + 1;
}

/** `{"e":"depthUpdate","E":..,"s":"..","U":..,"u":..,"b":[..],"a":[..]}`, keys in any order, each once. */
function scanDepthObject(t: string, b: Uint8Array, p: number): number {
  p = expectAt(b, p, LBRACE);
  if (p < 0) return -1;
  let seen = 0;
  for (;;) {
    // p is at the `{` or `,` before the next key.
    p = expectAt(b, p + 1, QUOTE);
    if (p < 0) return -1;
    p = scanString(b, p);
    if (p < 0 || strEnd - strStart !== 1) return -1;
    const key = b[strStart];
    p = expectAt(b, p, COLON);
    if (p < 0) return -1;
    p = skipWs(b, p + 1);
    let bit: number;
    switch (key) {
      case 101: // e
        bit = F_E;
        p = b[p] === QUOTE ? scanString(b, p) : -1;
        if (p < 0 || strEnd - strStart !== 11 || !t.startsWith('depthUpdate', strStart)) return -1;
        break;
      case 69: // E
        bit = F_TIME;
        p = scanInteger(b, p);
        eventTime = num;
        break;
      case 115: // s
        bit = F_S;
        p = b[p] === QUOTE ? scanString(b, p) : -1;
        symStart = strStart;
        symEnd = strEnd;
        break;
      case 85: // U
        bit = F_FIRST;
        p = scanInteger(b, p);
        firstId = num;
        break;
      case 117: // u
        bit = F_LAST;
        p = scanInteger(b, p);
        lastId = num;
        break;
      case 98: // b
        bit = F_B;
        p = b[p] === LBRACKET ? scanLevels(t, b, p, true) : -1;
        break;
      case 97: // a
        bit = F_A;
        p = b[p] === LBRACKET ? scanLevels(t, b, p, false) : -1;
        break;
      default:
        return -1;
    }
    if (p < 0 || (seen & bit) !== 0) return -1;
    seen |= bit;
    p = skipWs(b, p);
    const c = b[p];
    // An inverted range is refused on the JSON.parse path.
    if (c === RBRACE) return seen === F_ALL && firstId <= lastId ? p + 1 : -1;
    if (c !== COMMA) return -1;
  }
}

/** `{"stream": "...", "data": {depthUpdate}}` in either key order; `p` at the `{`. */
function scanEnvelope(t: string, b: Uint8Array, p: number): number {
  let seen = 0;
  for (;;) {
    p = expectAt(b, p + 1, QUOTE);
    if (p < 0) return -1;
    p = scanString(b, p);
    if (p < 0) return -1;
    const len = strEnd - strStart;
    const start = strStart;
    p = expectAt(b, p, COLON);
    if (p < 0) return -1;
    p = skipWs(b, p + 1);
    if (len === 6 && (seen & 1) === 0 && t.startsWith('stream', start)) {
      p = b[p] === QUOTE ? scanString(b, p) : -1;
      seen |= 1;
    } else if (len === 4 && (seen & 2) === 0 && t.startsWith('data', start)) {
      p = scanDepthObject(t, b, p);
      seen |= 2;
    } else {
      return -1;
    }
    if (p < 0) return -1;
    p = skipWs(b, p);
    const c = b[p];
    if (c === RBRACE) return seen === 3 ? p + 1 : -1;
    if (c !== COMMA) return -1;
  }
}

/** True when `t` is exactly one canonical depthUpdate, raw or in a combined envelope. */
function scanFrame(t: string): boolean {
  // UTF-8 takes at most 3 bytes per UTF-16 unit; one more for the sentinel.
  if (t.length * 3 + 1 > bytes.length) bytes = new Uint8Array(2 ** Math.ceil(Math.log2(t.length * 3 + 1)));
  const b = bytes;
  const n = encoder.encodeInto(t, b).written;
  b[n] = 0;
  let p = skipWs(b, 0);
  if (b[p] !== LBRACE) return false;
  // The first key tells the shapes apart: one letter for a raw event, `stream`/`data` for an envelope.
  const q = expectAt(b, p + 1, QUOTE);
  if (q < 0 || scanString(b, q) < 0) return false;
  p = strEnd - strStart === 1 ? scanDepthObject(t, b, p) : scanEnvelope(t, b, p);
  return p >= 0 && skipWs(b, p) === n;
}

/** Hands the scanned frame to the sink, guarding the buffers against a re-entrant parse. */
function emitScanned(t: string, sink: DepthUpdateSink): void {
  const symbol = t.slice(symStart, symEnd);
  const bids = bidBuf;
  const asks = askBuf;
  const nb = bidLen;
  const na = askLen;
  emitting = true;
  try {
    if (!sink.begin(symbol, firstId, lastId, eventTime)) return;
    for (let i = 0; i < nb; i += 2) sink.level(true, bids[i] as number, bids[i + 1] as number);
    for (let i = 0; i < na; i += 2) sink.level(false, asks[i] as number, asks[i + 1] as number);
    sink.end();
  } finally {
    emitting = false;
  }
}

/** The general path: JSON.parse, then the same validation as {@link parseDepthUpdate}. */
function parseFrameSlowly(text: string, sink: DepthUpdateSink): DepthFrameResult {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw malformed('market frame (invalid JSON)', e);
  }
  const { data } = unwrapCombinedStream(value);
  if (typeof data !== 'object' || data === null || (data as WireObject)['e'] !== 'depthUpdate') {
    return { kind: 'other', value };
  }
  const o = data as WireObject;
  const symbol = readString(o, 's', 'depthUpdate');
  const first = readSequence(o, 'U', 'depthUpdate');
  const last = readSequence(o, 'u', 'depthUpdate');
  checkRange(first, last, 'depthUpdate');
  const time = readNumber(o, 'E', 'depthUpdate');
  const bids = parseLevels(o['b'], 'depthUpdate bids');
  const asks = parseLevels(o['a'], 'depthUpdate asks');
  if (!sink.begin(symbol, first, last, time)) return DEPTH_HANDLED;
  for (const [price, amount] of bids) sink.level(true, price, amount);
  for (const [price, amount] of asks) sink.level(false, price, amount);
  sink.end();
  return DEPTH_HANDLED;
}

/**
 * Feeds one market-stream text frame to `sink` when it is a depthUpdate (raw or
 * combined); returns any other frame parsed, for the caller's other parsers.
 * Canonical depthUpdate frames are scanned directly; anything unusual takes the
 * JSON.parse path, which validates the same way, so both paths accept and reject
 * the same frames. Throws HbError `malformed_message` for invalid JSON and for
 * depthUpdates of the wrong shape.
 */
export function parseDepthUpdateFrame(text: string, sink: DepthUpdateSink): DepthFrameResult {
  // A sink that parses another frame while being fed must not clobber the buffers.
  if (emitting || !scanFrame(text)) return parseFrameSlowly(text, sink);
  emitScanned(text, sink);
  return DEPTH_HANDLED;
}
