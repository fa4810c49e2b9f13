/**
 * Fixed-window counter, atomic in Redis: INCR the window's counter, start its expiry on the first
 * hit, and return the count with the time left. One script call per event, so every replica shares
 * the same counter without races. Returns {count, ttlMs}.
 */
export const FIXED_WINDOW_HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** The same counter read without counting: {count, ttlMs}, {0, 0} when the window has not started. */
export const FIXED_WINDOW_PEEK_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {count, ttl}`;
