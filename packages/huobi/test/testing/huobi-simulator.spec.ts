// The simulator is as strict as the exchange (huobi.md): Signature V2 refusals with
// the exchange's err-codes (wrong secret, timestamp, host, key, missing fields),
// gzip market frames, the ping rule (a silent client is dropped), MBP topics only
// on /feed, the req rate limit, linked seqNums, and the account stream's login rule.
import { gunzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { Credentials } from '@hb/core/connector';
import { HuobiAuth, hostOf } from '../../src/huobi-auth.js';
import { DEMO_ACCOUNT, HUOBI_SIM_AUTH_MSG, HuobiSimulator } from '../../src/testing/index.js';

let sim: HuobiSimulator;

beforeEach(async () => {
  sim = await HuobiSimulator.start({
    demoAccount: true,
    seed: 3,
    pingIntervalMs: 50,
    accountPingIntervalMs: 50,
  });
  sim.activity(3, { pairs: ['BTC-USDT'] }).step(100);
});

afterEach(async () => {
  await sim.stop();
});

function signer(
  secret: string = DEMO_ACCOUNT.apiSecret,
  host = hostOf(sim.restUrl),
  skewMs = 0,
  key: string = DEMO_ACCOUNT.apiKey,
): HuobiAuth {
  return new HuobiAuth({
    credentials: new Credentials({ apiKey: key, secret }),
    restHost: host,
    wsHost: hostOf(sim.wsUrl),
    serverTime: () => Date.now() + skewMs,
  });
}

async function getAccounts(auth: HuobiAuth): Promise<Record<string, unknown>> {
  const signed = auth.signRest({ method: 'GET', path: '/v1/account/accounts', query: [], body: undefined });
  const res = await fetch(sim.restUrl + signed.pathAndQuery);
  return (await res.json()) as Record<string, unknown>;
}

describe('REST Signature V2, verified as the exchange does', () => {
  it('accepts a correct signature', async () => {
    expect(await getAccounts(signer())).toMatchObject({ status: 'ok' });
  });

  it.each([
    ['a wrong secret', () => signer('wrong-secret'), HUOBI_SIM_AUTH_MSG.badSignature],
    [
      'a host line other than the Host header',
      () => signer(DEMO_ACCOUNT.apiSecret, 'api.huobi.pro'),
      HUOBI_SIM_AUTH_MSG.badSignature,
    ],
    [
      'a timestamp 6 minutes off',
      () => signer(DEMO_ACCOUNT.apiSecret, hostOf(sim.restUrl), 6 * 60_000),
      HUOBI_SIM_AUTH_MSG.badTime,
    ],
    [
      'an unknown key',
      () => signer(DEMO_ACCOUNT.apiSecret, hostOf(sim.restUrl), 0, 'nobody'),
      HUOBI_SIM_AUTH_MSG.badKey,
    ],
  ])('refuses %s with api-signature-not-valid', async (_what, make, msg) => {
    expect(await getAccounts(make())).toEqual({
      status: 'error',
      'err-code': 'api-signature-not-valid',
      'err-msg': msg,
      data: null,
    });
  });

  it('refuses a tampered parameter and a request without auth parameters', async () => {
    const signed = signer().signRest({
      method: 'GET',
      path: '/v1/order/openOrders',
      query: [['account-id', '1']],
      body: undefined,
    });
    const tampered = await (
      await fetch(sim.restUrl + signed.pathAndQuery.replace('account-id=1', 'account-id=2'))
    ).json();
    expect(tampered).toMatchObject({
      'err-code': 'api-signature-not-valid',
      'err-msg': HUOBI_SIM_AUTH_MSG.badSignature,
    });
    const bare = await (await fetch(`${sim.restUrl}/v1/account/accounts`)).json();
    expect(bare).toMatchObject({ status: 'error', 'err-code': 'login-required' });
  });

  it('paths are case-sensitive: a wrong one answers 405', async () => {
    const res = await fetch(`${sim.restUrl}/v1/common/Symbols`);
    expect(res.status).toBe(405);
  });
});

/** A raw market-socket client that records decoded frames and whether every one was binary gzip. */
function marketClient(path: '/ws' | '/feed', answerPings: boolean) {
  const ws = new WebSocket(`${sim.wsUrl}${path}`);
  const frames: Record<string, unknown>[] = [];
  let allBinary = true;
  let closed = false;
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) allBinary = false;
    const f = JSON.parse(gunzipSync(data).toString('utf8')) as Record<string, unknown>;
    frames.push(f);
    if (answerPings && typeof f['ping'] === 'number') ws.send(JSON.stringify({ pong: f['ping'] }));
  });
  ws.on('close', () => (closed = true));
  const open = new Promise<void>((r) => ws.on('open', () => r()));
  return { ws, frames, open, allBinary: () => allBinary, closed: () => closed };
}

async function until(what: string, p: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!p()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('market sockets', () => {
  it('gzip binary frames; a client that never answers a ping is dropped after two', async () => {
    const silent = marketClient('/ws', false);
    const polite = marketClient('/ws', true);
    await Promise.all([silent.open, polite.open]);
    await until('the silent client dropped', () => silent.closed());
    expect(silent.frames.filter((f) => typeof f['ping'] === 'number').length).toBe(2);
    expect(polite.closed()).toBe(false);
    expect(polite.allBinary() && silent.allBinary()).toBe(true);
    polite.ws.close();
  });

  it('MBP increments only on /feed; on /ws the topic is refused with the exchange error', async () => {
    const c = marketClient('/ws', true);
    await c.open;
    c.ws.send(JSON.stringify({ sub: 'market.btcusdt.mbp.150', id: 'a' }));
    c.ws.send(JSON.stringify({ sub: 'market.nosuch.trade.detail', id: 'b' }));
    await until('two refusals', () => c.frames.filter((f) => f['status'] === 'error').length === 2);
    expect(c.frames.filter((f) => f['status'] === 'error')).toMatchObject([
      { id: 'a', 'err-code': 'bad-request', 'err-msg': 'invalid topic market.btcusdt.mbp.150' },
      { id: 'b', 'err-code': 'bad-request', 'err-msg': 'invalid symbol market.nosuch.trade.detail' },
    ]);
    c.ws.close();
  });

  it('/feed: increments linked by prevSeqNum with gaps in the numbers; req at most once per 100 ms', async () => {
    const c = marketClient('/feed', true);
    await c.open;
    c.ws.send(JSON.stringify({ sub: 'market.btcusdt.mbp.150', id: 's' }));
    await until('subbed', () => c.frames.some((f) => f['subbed'] === 'market.btcusdt.mbp.150'));
    c.ws.send(JSON.stringify({ req: 'market.btcusdt.mbp.150', id: 'r1' }));
    c.ws.send(JSON.stringify({ req: 'market.btcusdt.mbp.150', id: 'r2' }));
    await until(
      'two answers',
      () => c.frames.filter((f) => f['id'] === 'r1' || f['id'] === 'r2').length === 2,
    );
    expect(c.frames.find((f) => f['id'] === 'r1')).toMatchObject({
      status: 'ok',
      rep: 'market.btcusdt.mbp.150',
    });
    expect(c.frames.find((f) => f['id'] === 'r2')).toMatchObject({
      status: 'error',
      'err-msg': '429 too many request',
    });
    const act = sim.activity(4, { pairs: ['BTC-USDT'] });
    for (let i = 0; i < 20; i++) {
      act.step(1);
      await new Promise((r) => setImmediate(r));
    }
    await until('increments', () => c.frames.filter((f) => f['ch'] === 'market.btcusdt.mbp.150').length >= 5);
    const ticks = c.frames
      .filter((f) => f['ch'] === 'market.btcusdt.mbp.150')
      .map((f) => f['tick'] as { seqNum: number; prevSeqNum: number });
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.prevSeqNum).toBe(ticks[i - 1]!.seqNum);
    expect(ticks.some((t) => t.seqNum - t.prevSeqNum > 1)).toBe(true);
    c.ws.close();
  });
});

describe('account stream', () => {
  function accountClient() {
    const ws = new WebSocket(`${sim.wsUrl}/ws/v2`);
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (d: Buffer) => frames.push(JSON.parse(d.toString('utf8')) as Record<string, unknown>));
    return { ws, frames, open: new Promise<void>((r) => ws.on('open', () => r())) };
  }

  it('refuses a subscription before the login, and a login with a wrong signature', async () => {
    const c = accountClient();
    await c.open;
    c.ws.send(JSON.stringify({ action: 'sub', ch: 'orders#btcusdt' }));
    c.ws.send(JSON.stringify(signer('wrong-secret').wsLogin()));
    await until('two answers', () => c.frames.filter((f) => f['action'] !== 'ping').length >= 2);
    expect(c.frames.filter((f) => f['action'] !== 'ping')).toEqual([
      { action: 'sub', code: 2002, ch: 'orders#btcusdt', message: 'invalid.auth.state' },
      { action: 'req', code: 2002, ch: 'auth', message: 'auth.fail' },
    ]);
    c.ws.close();
  });

  it('accepts the right login, refuses an unknown channel, and pushes balances after accounts.update', async () => {
    const c = accountClient();
    await c.open;
    c.ws.send(JSON.stringify(signer().wsLogin()));
    await until('auth', () => c.frames.some((f) => f['ch'] === 'auth'));
    expect(c.frames.find((f) => f['ch'] === 'auth')).toEqual({
      action: 'req',
      code: 200,
      ch: 'auth',
      data: {},
    });
    c.ws.send(JSON.stringify({ action: 'sub', ch: 'orders#' }));
    c.ws.send(JSON.stringify({ action: 'sub', ch: 'accounts.update#2' }));
    await until('balances', () => c.frames.some((f) => f['action'] === 'push'));
    expect(c.frames.find((f) => f['ch'] === 'orders#')).toMatchObject({ code: 2001, message: 'invalid.ch' });
    expect(c.frames.find((f) => f['action'] === 'push')).toMatchObject({
      ch: 'accounts.update#2',
      data: { changeType: null, changeTime: null, accountType: 'trade' },
    });
    c.ws.close();
  });
});
