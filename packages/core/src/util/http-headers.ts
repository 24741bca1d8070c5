import { parseRetryAfter } from '../net/rest-client.js';

/** Response headers as ky/fetch (`Headers`) or node:http give them. */
export type ResponseHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** One header, case-insensitively, from either shape; the first value of a repeated header. */
export function readHeader(headers: ResponseHeaders | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(
    headers as Readonly<Record<string, string | readonly string[] | undefined>>,
  )) {
    if (k.toLowerCase() === lower) return typeof v === 'string' ? v : v?.[0];
  }
  return undefined;
}

/** `Retry-After` (seconds or an HTTP date) in ms, or undefined when absent or unreadable. */
export function retryAfterMs(headers: ResponseHeaders | undefined, nowMs?: number): number | undefined {
  return parseRetryAfter(readHeader(headers, 'Retry-After') ?? null, nowMs);
}
