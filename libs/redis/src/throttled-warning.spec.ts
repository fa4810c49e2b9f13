import { throttledWarning } from './throttled-warning.js';

describe('throttledWarning', () => {
  it('logs the first warning, then at most one per interval', () => {
    let now = 1_000_000;
    const logged: string[] = [];
    const warn = throttledWarning({ warn: (m: string) => logged.push(m) }, 10_000, () => now);
    warn('a');
    warn('b');
    now += 9_999;
    warn('c');
    now += 1;
    warn('d');
    expect(logged).toEqual(['a', 'd']);
  });
});
