import { HbError } from '../errors/hb-error.js';

/**
 * The error a generated connector's stubs throw until the exchange code is
 * written: `<exchange>: not implemented: <what>`, never retryable, so a
 * conformance run lists exactly what is missing.
 */
export function notImplemented(exchange: string, what: string): HbError {
  return new HbError('unknown', `${exchange}: not implemented: ${what}`, { exchange, retryable: false });
}
