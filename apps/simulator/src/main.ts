import { parseSimulatorArgs, simulateTraffic } from '#libs/traffic-simulator';

// `VERILOCK_API_KEY=… npm run simulate -- --rate 200 --duration 60 --url http://localhost:3000`
let options;
try {
  options = parseSimulatorArgs(process.argv.slice(2), process.env.VERILOCK_API_KEY, `http://localhost:${process.env.API_PORT || 3000}`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
if (!options.apiKey)
  console.warn('[simulate] VERILOCK_API_KEY is not set: the api will answer 401 (create a logs:write key with npm run -s keys)');
console.log(`[simulate] ${options.rate} records/s for ${options.durationSeconds} s to ${options.url}`);
const summary = await simulateTraffic({
  ...options,
  onProgress: (s) =>
    console.log(
      `[simulate] ${s.elapsedSeconds.toFixed(0)} s: ${s.generated} generated, ${s.shipped} accepted, ` +
        `${s.buffered} buffered, ${JSON.stringify(s.byStatus)}`,
    ),
});
console.log(`[simulate] done: ${JSON.stringify(summary)}`);
process.exitCode = summary.lost + summary.dropped + summary.rejected > 0 ? 1 : 0;
