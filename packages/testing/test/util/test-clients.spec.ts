import { afterEach, describe, expect, it } from '@jest/globals';
import { startHttpServer, type RunningHttpServer } from '../../src/server/http-server.js';
import { Router } from '../../src/server/router.js';
import { startWsServer, type RunningWsServer, type WsConnection } from '../../src/server/ws-server.js';
import { TestWsClient, asArray, asObject, fetchAnswer, httpGet } from '../../src/util/test-clients.js';

const servers: (RunningHttpServer | RunningWsServer)[] = [];
const clients: TestWsClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('fetchAnswer and httpGet', () => {
  it('parse JSON bodies, keep other bodies as text, and add params to the query', async () => {
    const http = await startHttpServer(
      new Router()
        .get('/json', (req) => ({ status: 200, body: { query: req.rawQuery } }))
        .get('/text', () => ({ status: 502, body: 'bad gateway' }))
        .post('/echo', (req) => ({ status: 201, headers: { 'X-Seen': req.body }, body: [] })),
    );
    servers.push(http);
    expect(await httpGet(http.url, '/json', { a: '1', b: 'x y' })).toMatchObject({
      status: 200,
      body: { query: 'a=1&b=x+y' },
    });
    expect((await httpGet(http.url, '/json?z=2')).body).toEqual({ query: 'z=2' });
    expect(await httpGet(http.url, '/text')).toMatchObject({ status: 502, body: 'bad gateway' });
    const posted = await fetchAnswer(`${http.url}/echo`, { method: 'POST', body: 'hello' });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('x-seen')).toBe('hello');
    expect(posted.body).toEqual([]);
  });
});

describe('TestWsClient', () => {
  async function server(onConnection: (c: WsConnection) => void): Promise<string> {
    const ws = await startWsServer(onConnection);
    servers.push(ws);
    return ws.url;
  }

  it('records frames, finds past and future ones, and keeps malformed ones as text', async () => {
    const url = await server((c) => {
      c.send({ type: 'hello' });
      c.onMessage((text) => {
        c.send({ type: 'echo', text });
        c.sendRaw('{"broken":');
        c.send([1, 2]);
      });
    });
    const client = await TestWsClient.connect(url);
    clients.push(client);
    expect(await client.next((f) => asObject(f)['type'] === 'hello')).toEqual({ type: 'hello' });
    client.send({ ping: 1 });
    const echo = await client.nextObject((f) => f['type'] === 'echo');
    expect(echo).toEqual({ type: 'echo', text: '{"ping":1}' });
    await client.next((f) => Array.isArray(f));
    expect(client.raw).toContain('{"broken":');
    expect(client.frames).toContain('{"broken":');
    expect(client.ofType('echo')).toHaveLength(1);
    await expect(client.nextObject((f) => f['type'] === 'never', 20)).rejects.toThrow(
      'no matching frame within 20 ms',
    );
  });

  it('connect builds the subclass it is called on, and waitClosed sees the close', async () => {
    class Special extends TestWsClient {
      readonly special = true;
    }
    const url = await server((c) => c.onMessage(() => c.close(1000, 'bye')));
    const client = await Special.connect(url);
    clients.push(client);
    expect(client.special).toBe(true);
    client.send('close please');
    await client.waitClosed();
    expect(client.closed).toBe(true);
  });
});

describe('asObject and asArray', () => {
  it('narrow JSON values and throw on anything else', () => {
    expect(asObject({ a: 1 })).toEqual({ a: 1 });
    expect(() => asObject([1])).toThrow('not an object');
    expect(() => asObject(null)).toThrow('not an object');
    expect(asArray([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(() => asArray({})).toThrow('not an array');
  });
});
