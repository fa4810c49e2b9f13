import { ApiClient } from './support/api-client.js';
import { SUPPORT_USAGE, parseSupportArgs } from './support/support-args.js';
import { sources } from './support/sources-command.js';
import { errors, lookup, spikes } from './support/support-commands.js';
import { CliExit, runCli } from './run-cli.js';

/** `npm run -s support -- lookup|errors|spikes|sources`: the support page, search API and ingest health for a terminal. */
await runCli(async () => {
  const args = parseSupportArgs(process.argv.slice(2));
  const key = process.env.VERILOCK_API_KEY;
  if (!key) throw new CliExit(2, `VERILOCK_API_KEY is not set: export a key with the logs:read scope\n${SUPPORT_USAGE}`);
  // The api `npm run up` started in this environment unless VERILOCK_URL names another.
  const api = new ApiClient(process.env.VERILOCK_URL ?? `http://localhost:${process.env.API_PORT || 3000}`, key);
  const commands = { lookup, errors, spikes, sources };
  console.log(await commands[args.command](api, args));
});
