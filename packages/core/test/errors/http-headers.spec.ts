import { readHeader, retryAfterMs } from '../../src/kit/index.js';

describe('readHeader / retryAfterMs', () => {
  it('reads either header shape case-insensitively', () => {
    expect(readHeader({ 'cb-after': '42' }, 'CB-AFTER')).toBe('42');
    expect(readHeader(new Headers({ 'CB-AFTER': '43' }), 'cb-after')).toBe('43');
    expect(readHeader({ 'cb-before': ['1', '2'] }, 'CB-BEFORE')).toBe('1');
    expect(readHeader(undefined, 'CB-AFTER')).toBeUndefined();
  });

  it('turns Retry-After seconds or an HTTP date into ms', () => {
    expect(retryAfterMs({ 'Retry-After': '2' })).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(retryAfterMs({ 'Retry-After': 'Thu, 01 Jan 1970 00:00:10 GMT' }, 4000)).toBe(6000);
    expect(retryAfterMs({ 'Retry-After': 'soon' })).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
