// A refusal's body turned into an HbError through the connector's one table.
// Every connector did the same three steps (parse JSON-or-text, pick the code
// and message fields, classify with Retry-After); only the field names differ.
import { classifyExchangeError, type ErrorMapping, type HbError } from '../errors/hb-error.js';
import { retryAfterMs, type ResponseHeaders } from '../util/http-headers.js';

/** The code and message an exchange put in an error body. */
export interface ErrorBodyFields {
  readonly code?: string | number;
  readonly message?: string;
}

/** Reads the fields out of a decoded error object; undefined when it is not the exchange's error shape. */
export type ErrorBodyReader = (body: Readonly<Record<string, unknown>>) => ErrorBodyFields | undefined;

/** A classifier: HTTP (or frame) status, body (decoded JSON or raw text) and headers in, an HbError out. */
export type ExchangeErrorClassifier = (
  status: number | undefined,
  body: unknown,
  headers?: ResponseHeaders,
) => HbError;

/** A body as an object: parsed from text when it is JSON text, undefined when it is not an object. */
export function errorBodyObject(body: unknown): Readonly<Record<string, unknown>> | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined;
}

/** Reads `{<codeKey>: number|string, <messageKey>: string}` (Binance `code`/`msg`, Coinbase `message`). */
export function fieldsReader(keys: ErrorBodyKeys): ErrorBodyReader {
  return (o) => {
    const code = keys.code === undefined ? undefined : o[keys.code];
    const message = keys.message === undefined ? undefined : o[keys.message];
    const fields: ErrorBodyFields = {
      code: typeof code === 'number' || (typeof code === 'string' && code !== '') ? code : undefined,
      message: typeof message === 'string' ? message : undefined,
    };
    // With a code key configured, a body without a code is not the exchange's error shape.
    if (keys.code !== undefined && fields.code === undefined) return undefined;
    if (keys.code === undefined && fields.message === undefined) return undefined;
    return fields;
  };
}

/** Where an exchange puts the code and message of an error body (see {@link fieldsReader}). */
export interface ErrorBodyKeys {
  readonly code?: string;
  readonly message?: string;
}

/**
 * The connector's classifier over its one table; `read` is a reader, or the
 * body's field names. A body the reader does not recognise (a proxy's HTML
 * page) falls back on the HTTP status; a 5xx is always an unknown outcome
 * whatever the table says.
 */
export function createErrorClassifier(
  exchange: string,
  table: readonly ErrorMapping[],
  reader: ErrorBodyReader | ErrorBodyKeys,
): ExchangeErrorClassifier {
  const read = typeof reader === 'function' ? reader : fieldsReader(reader);
  return (status, body, headers) => {
    const obj = errorBodyObject(body);
    const fields = obj === undefined ? undefined : read(obj);
    return classifyExchangeError(table, {
      exchange,
      code: fields?.code,
      message: fields?.message,
      httpStatus: status,
      retryAfterMs: retryAfterMs(headers),
    });
  };
}
