import type { SimulationOptions } from './simulate.js';

const USAGE = `usage: VERILOCK_API_KEY=… npm run simulate -- [--rate 200] [--duration 60] \
[--url http://localhost:$API_PORT] [--batch 500] [--seed N]
  The key (logs:write scope) is read from VERILOCK_API_KEY only: a key on the command line would be
  echoed by npm and kept in the shell history and process list.
  --rate      records per second (default 200)
  --duration  seconds (default 60)
  --url       the running api (default http://localhost:$API_PORT, 3000 when unset)
  --batch     records per POST (default 500)
  --seed      repeatable traffic`;

/** Parses the simulator's command line; throws with the usage text on anything unknown or invalid. */
export function parseSimulatorArgs(argv: string[], apiKey?: string, defaultUrl = 'http://localhost:3000'): SimulationOptions {
  const options: SimulationOptions = { url: defaultUrl, rate: 200, durationSeconds: 60, apiKey };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === '--help' || name === '-h') throw new Error(USAGE);
    if (value === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
    const number = Number(value);
    const positive = () => {
      if (!(number > 0)) throw new Error(`${name} must be a positive number\n${USAGE}`);
      return number;
    };
    if (name === '--rate') options.rate = positive();
    else if (name === '--duration') options.durationSeconds = positive();
    else if (name === '--batch') options.batchSize = Math.ceil(positive());
    else if (name === '--seed') options.seed = Math.floor(positive());
    else if (name === '--url') options.url = new URL(value).toString();
    else if (name === '--key') throw new Error(`--key is not accepted: set VERILOCK_API_KEY instead (npm would echo the key)\n${USAGE}`);
    else throw new Error(`unknown option ${name}\n${USAGE}`);
  }
  return options;
}
