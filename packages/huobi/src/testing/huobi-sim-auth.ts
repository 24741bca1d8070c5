// Signature V2 verified as the exchange does (huobi.md §6, §8): the pre-sign
// string is rebuilt from what was received — method, the `Host` header, the path
// and every query pair but `Signature`, decoded and re-encoded canonically — so a
// wrong secret, a wrong host line or a tampered parameter all fail the check, and
// a timestamp outside the tolerance is refused before the signature is looked at.
import { timingSafeEqual } from 'node:crypto';
import { huobiPreSign, huobiSign } from '../huobi-auth.js';
import { HUOBI_SIGNATURE } from '../huobi-constants.js';
import { parseHuobiTimestamp } from '../huobi-utils.js';

/** A refusal in Huobi's error shape. */
export interface HuobiSimAuthError {
  readonly code: string;
  readonly message: string;
}

/** The exchange's messages for auth refusals (err-msg). */
export const HUOBI_SIM_AUTH_MSG = {
  missing: 'Signature not valid: missing required parameter [缺少必要参数]',
  badKey: 'Signature not valid: Incorrect Access key [Access key错误]',
  badTime:
    'Signature not valid: Invalid submission time or incorrect time format [无效的提交时间，或时间格式错误]',
  badSignature: 'Signature not valid: Verification failure [校验失败]',
  badMethod: 'Signature not valid: Signature method or version not supported',
} as const;

/** Decodes `k=v&...` exactly as sent into pairs (`+` is not a space in Huobi's encoding). */
export function decodeQueryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((part) => {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    return [safeDecode(k), safeDecode(v)];
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks a signed REST request; the API key on success. */
export function verifyRestSignature(args: {
  readonly method: string;
  readonly host: string | undefined;
  readonly path: string;
  readonly rawQuery: string;
  readonly secretOf: (apiKey: string) => string | undefined;
  readonly now: number;
  readonly toleranceMs: number;
}): { ok: true; apiKey: string } | { ok: false; error: HuobiSimAuthError } {
  const pairs = decodeQueryPairs(args.rawQuery);
  const get = (k: string): string | undefined => pairs.find(([key]) => key === k)?.[1];
  const apiKey = get('AccessKeyId');
  const signature = get('Signature');
  const timestamp = get('Timestamp');
  if (!apiKey || !signature || !timestamp || get('SignatureMethod') === undefined)
    return { ok: false, error: { code: 'login-required', message: HUOBI_SIM_AUTH_MSG.missing } };
  if (
    get('SignatureMethod') !== HUOBI_SIGNATURE.method ||
    get('SignatureVersion') !== HUOBI_SIGNATURE.restVersion
  )
    return { ok: false, error: { code: 'api-signature-not-valid', message: HUOBI_SIM_AUTH_MSG.badMethod } };
  const secret = args.secretOf(apiKey);
  if (secret === undefined)
    return { ok: false, error: { code: 'api-signature-not-valid', message: HUOBI_SIM_AUTH_MSG.badKey } };
  const ts = parseHuobiTimestamp(timestamp);
  if (ts === undefined || Math.abs(args.now - ts) > args.toleranceMs)
    return { ok: false, error: { code: 'api-signature-not-valid', message: HUOBI_SIM_AUTH_MSG.badTime } };
  const signed = pairs.filter(([k]) => k !== 'Signature');
  const pre = huobiPreSign(args.method === 'POST' ? 'POST' : 'GET', args.host ?? '', args.path, signed);
  if (!sameSignature(huobiSign(secret, pre), signature))
    return {
      ok: false,
      error: { code: 'api-signature-not-valid', message: HUOBI_SIM_AUTH_MSG.badSignature },
    };
  return { ok: true, apiKey };
}

/** Checks the v2.1 `auth` request's params; the API key on success, undefined on `auth.fail`. */
export function verifyWsV2Auth(args: {
  readonly params: unknown;
  readonly host: string | undefined;
  readonly path: string;
  readonly secretOf: (apiKey: string) => string | undefined;
  readonly now: number;
  readonly toleranceMs: number;
}): string | undefined {
  if (typeof args.params !== 'object' || args.params === null) return undefined;
  const p = args.params as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  const accessKey = str('accessKey');
  const timestamp = str('timestamp');
  const signature = str('signature');
  if (str('authType') !== 'api' || !accessKey || !timestamp || !signature) return undefined;
  if (
    str('signatureMethod') !== HUOBI_SIGNATURE.method ||
    str('signatureVersion') !== HUOBI_SIGNATURE.wsVersion
  )
    return undefined;
  const secret = args.secretOf(accessKey);
  const ts = parseHuobiTimestamp(timestamp);
  if (secret === undefined || ts === undefined || Math.abs(args.now - ts) > args.toleranceMs)
    return undefined;
  const pre = huobiPreSign('GET', args.host ?? '', args.path, [
    ['accessKey', accessKey],
    ['signatureMethod', HUOBI_SIGNATURE.method],
    ['signatureVersion', HUOBI_SIGNATURE.wsVersion],
    ['timestamp', timestamp],
  ]);
  return sameSignature(huobiSign(secret, pre), signature) ? accessKey : undefined;
}
