import { ServerTimeSync, type ServerTimeClock } from '../../src/net/server-time.js';

class ManualClock implements ServerTimeClock {
  mono = 5_000;
  wall = 1_700_000_000_000;
  monotonicNow(): number {
    return this.mono;
  }
  wallNow(): number {
    return this.wall;
  }
}

describe('ServerTimeSync', () => {
  it('returns local time before the first sync', () => {
    const clock = new ManualClock();
    const sync = new ServerTimeSync({ clock });
    clock.mono += 250;
    expect(sync.synced).toBe(false);
    expect(sync.now()).toBe(1_700_000_000_250);
  });

  it('sets offset = server - (t0 + rtt/2)', async () => {
    const clock = new ManualClock();
    const sync = new ServerTimeSync({ clock });
    // Request leaves at local L, server stamps L + 1000 + 40, answer lands at L + 80.
    await sync.sync(async () => {
      const stamped = sync.localNow() + 1040;
      clock.mono += 80;
      return stamped;
    });
    expect(sync.offsetMs).toBe(1000);
    expect(sync.lastSample?.rttMs).toBe(80);
    clock.mono += 10;
    expect(sync.now()).toBe(1_700_000_000_000 + 90 + 1000);
  });

  it('follows the monotonic clock, not later wall-clock steps', async () => {
    const clock = new ManualClock();
    const sync = new ServerTimeSync({ clock });
    await sync.sync(async () => sync.localNow() + 500);
    clock.wall += 3_600_000; // the system clock is stepped by an hour
    clock.mono += 1000;
    expect(sync.now()).toBe(1_700_000_000_000 + 1000 + 500);
  });

  it('keeps the lowest-RTT sample when taking several', async () => {
    const clock = new ManualClock();
    const sync = new ServerTimeSync({ clock, samples: 3 });
    const rtts = [300, 20, 200];
    const errors = [150, 7, 100]; // a slow answer is a worse estimate
    let i = 0;
    await sync.sync(async () => {
      const rtt = rtts[i]!;
      const stamped = sync.localNow() + rtt / 2 + 2000 + errors[i]!;
      clock.mono += rtt;
      i++;
      return stamped;
    });
    expect(sync.lastSample?.rttMs).toBe(20);
    expect(sync.offsetMs).toBe(2007);
  });

  it('resync reuses the last fetcher, and concurrent calls share one measurement', async () => {
    const clock = new ManualClock();
    const sync = new ServerTimeSync({ clock });
    let calls = 0;
    let skew = 100;
    const fetchTime = async () => {
      calls++;
      await new Promise((r) => setImmediate(r));
      return sync.localNow() + skew;
    };
    await sync.sync(fetchTime);
    expect(sync.offsetMs).toBe(100);
    skew = -700;
    await Promise.all([sync.resync(), sync.resync(), sync.resync()]);
    expect(calls).toBe(2);
    expect(sync.offsetMs).toBe(-700);
  });

  it('keeps the previous offset when a sync fails', async () => {
    const clock = new ManualClock();
    const sync = new ServerTimeSync({ clock });
    await sync.sync(async () => sync.localNow() + 42);
    await expect(sync.sync(async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(sync.sync(async () => Number.NaN)).rejects.toThrow(/not a finite number/);
    expect(sync.offsetMs).toBe(42);
  });

  it('resync before sync rejects', async () => {
    await expect(new ServerTimeSync().resync()).rejects.toThrow(/before sync/);
  });
});
