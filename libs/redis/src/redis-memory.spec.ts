import { fullestServer, MEMORY_REFRESH_MS, MEMORY_STALE_MS, parseMemoryInfo, RedisMemory } from './redis-memory.js';

const info = (used: number) => `# Memory\r\nused_memory:${used}\r\nused_memory_human:1M\r\nmaxmemory:2000\r\n`;

describe('RedisMemory', () => {
  it('reads used_memory and maxmemory from INFO', () => {
    expect(parseMemoryInfo(info(1234))).toEqual({ usedBytes: 1234, maxmemoryBytes: 2000 });
    expect(parseMemoryInfo('used_memory:5\r\n')).toEqual({ usedBytes: 5, maxmemoryBytes: 0 });
    expect(() => parseMemoryInfo('# Memory\r\n')).toThrow(/used_memory/);
  });

  it("takes a cluster's fullest master against the lowest maxmemory set", () => {
    const masters = [
      { usedBytes: 10, maxmemoryBytes: 0 },
      { usedBytes: 30, maxmemoryBytes: 500 },
      { usedBytes: 20, maxmemoryBytes: 400 },
    ];
    expect(fullestServer(masters)).toEqual({ usedBytes: 30, maxmemoryBytes: 400 });
    expect(fullestServer([{ usedBytes: 7, maxmemoryBytes: 0 }])).toEqual({ usedBytes: 7, maxmemoryBytes: 0 });
  });

  it('asks Redis at most once per refresh interval, waits only for a missing or stale reading', async () => {
    let now = 0;
    let used = 100;
    let calls = 0;
    const memory = new RedisMemory(
      async () => (calls++, [info(used)]),
      () => now,
    );
    expect((await memory.current()).usedBytes).toBe(100);
    used = 200;
    now += MEMORY_REFRESH_MS - 1;
    expect((await Promise.all([memory.current(), memory.current()])).map((r) => r.usedBytes)).toEqual([100, 100]);
    expect(calls).toBe(1);
    now += 1;
    // Past the refresh age: this caller gets the cached reading, the next one the refreshed reading.
    expect((await memory.current()).usedBytes).toBe(100);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await memory.current()).usedBytes).toBe(200);
    expect(calls).toBe(2);
    memory.noteAdded(50);
    expect((await memory.current()).usedBytes).toBe(250);
    used = 300;
    now += MEMORY_STALE_MS;
    expect((await memory.current()).usedBytes).toBe(300);
    expect(calls).toBe(3);
  });
});
