/** What `wrk --latency` printed: milliseconds at a percentile of its latency distribution, and the requests it made. */
export function parseWrk(stdout) {
  const ms = (p) => {
    const [, value, unit] = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(stdout);
    return Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];
  };
  return { p50: ms(50), p99: ms(99), requests: Number(/(\d+) requests in/.exec(stdout)[1]) };
}
