import type { App } from 'supertest/types.js';
import { http } from './http.js';

/** POSTs bytes exactly as given (supertest would JSON-encode a Buffer sent with a JSON content type). */
export function rawPost(server: App, path: string, body: Buffer | string, headers: Record<string, string>) {
  const req = http(server).post(path);
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  return req.serialize((data: unknown) => data as string).send(body as unknown as string);
}
