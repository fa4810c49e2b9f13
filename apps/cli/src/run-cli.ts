import { ConfigError } from '#libs/config';

/** Exit status of a CLI command: 0 done, 1 not found / failed, 2 usage. */
export class CliExit extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a CLI command, printing errors (never stack traces of expected failures) and setting the exit code. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof CliExit) {
      console.error(err.message);
      process.exitCode = err.status;
    } else if (err instanceof ConfigError) {
      console.error(err.message);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  }
}

/** A queue's connection error in a CLI: raised as if nobody listened (the process stops), rather than waited out. */
export function failFast(err: Error): never {
  throw err;
}
