import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Every route the app's router really serves, as "method path" ("get /v1/requests/:requestId"), read
 * from Fastify's own route tree (printRoutes: one node a line, four characters of indent a level, the
 * node's methods in brackets). HEAD is left out: Fastify adds it to every GET route by itself.
 */
export function servedRoutes(app: NestFastifyApplication): string[] {
  const tree = app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const prefixes: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const node = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    const depth = node[1].length / 4;
    const path = (prefixes[depth - 1] ?? '') + node[2];
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of (node[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD')) routes.push(`${method.toLowerCase()} ${path}`);
  }
  return routes;
}
