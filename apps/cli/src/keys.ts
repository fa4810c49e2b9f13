import pg from 'pg';
import { ApiKeyRepository, parseScopes } from '#libs/auth';
import { loadConfig } from '#libs/config';
import { DATABASE_CONFIG, PrismaService } from '#libs/database';
import { CliExit, runCli } from './run-cli.js';

const USAGE = `usage: npm run -s keys -- create --name NAME --scopes logs:read,logs:write,admin [--key-only]
       npm run -s keys -- list
       npm run keys -- revoke KEY_ID`;

/** API key administration: the only place a key is ever shown (once, at creation). */
await runCli(async () => {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig([DATABASE_CONFIG], process.env);
  const pool = new pg.Pool({ connectionString: config.database.url, max: 1 });
  const prisma = new PrismaService(pool);
  const keys = new ApiKeyRepository(prisma, pool);
  try {
    if (command === 'create') {
      const name = option(args, '--name');
      const scopesText = option(args, '--scopes');
      if (!name || !scopesText) throw new CliExit(2, USAGE);
      let scopes;
      try {
        scopes = parseScopes(scopesText);
      } catch (err) {
        throw new CliExit(2, (err as Error).message);
      }
      const created = await keys.create(name, scopes);
      if (args.includes('--key-only')) {
        // For `export VERILOCK_API_KEY=$(npm run -s keys -- create … --key-only)`: stdout is the key alone.
        console.error(`created ${created.id} (${created.name}, ${created.scopes.join(',')}); the key is shown only now`);
        console.log(created.key);
        return;
      }
      console.log(`id:     ${created.id}\nname:   ${created.name}\nscopes: ${created.scopes.join(',')}\nkey:    ${created.key}`);
      console.log('The key is shown only now and cannot be recovered: store it safely.');
    } else if (command === 'list') {
      console.log(['id', 'name', 'scopes', 'created', 'status'].join('\t'));
      for (const k of await keys.list()) {
        const status = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        console.log(`${k.id}\t${k.name}\t${k.scopes.join(',')}\t${k.createdAt.toISOString()}\t${status}`);
      }
    } else if (command === 'revoke' && args[0]) {
      if (!(await keys.revoke(args[0]))) throw new CliExit(1, `no key with id ${args[0]}`);
      console.log(`revoked ${args[0]}`);
    } else {
      throw new CliExit(2, USAGE);
    }
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
});

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
