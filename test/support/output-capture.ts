/**
 * Collects the lines this process writes to stdout and stderr (where Nest's logger writes) from now
 * until stop(), still passing them through.
 */
export function captureOutput(): { lines(): string[]; stop(): void } {
  let text = '';
  const streams = [process.stdout, process.stderr];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called back with .call(stream)
  const originals = streams.map((stream) => stream.write);
  for (const [i, stream] of streams.entries()) {
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      text += String(chunk);
      return (originals[i] as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    };
  }
  return {
    lines: () => text.split('\n').filter((line) => line.trim() !== ''),
    stop: () => streams.forEach((stream, i) => (stream.write = originals[i]!)),
  };
}
