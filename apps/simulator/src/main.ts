import { parseSimulatorArgs, simulateTraffic } from '#libs/traffic-simulator';

// `npm run simulate -- --rate 200 --duration 60 --url http://localhost:3000 --key …`
let options;
try {
  options = parseSimulatorArgs(process.argv.slice(2), process.env.VERILOCK_API_KEY);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
console.log(`[simulate] ${options.rate} records/s for ${options.durationSeconds} s to ${options.url}`);
const summary = await simulateTraffic({
  ...options,
  onProgress: (s) => console.log(`[simulate] ${s.elapsedSeconds.toFixed(0)} s: ${s.generated} generated, ${s.shipped} accepted, ${s.buffered} buffered, ${JSON.stringify(s.byStatus)}`),
});
console.log(`[simulate] done: ${JSON.stringify(summary)}`);
process.exitCode = summary.lost + summary.dropped + summary.rejected > 0 ? 1 : 0;
