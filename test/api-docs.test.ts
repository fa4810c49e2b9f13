import { http } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { servedRoutes } from './support/served-routes.js';
import { testConfig } from './support/test-env.js';

describe('OpenAPI at /docs', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig(), { worker: false });
  });
  afterAll(() => pipeline.close());

  it('serves Swagger UI and the document, with the apiKey security scheme', async () => {
    const server = pipeline.api.getHttpServer();
    const ui = await http(server).get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
    const doc = await http(server).get('/docs/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.components.securitySchemes.apiKey).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    );
  });

  it('documents every route the api serves, with its method', async () => {
    const doc = (await http(pipeline.api.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
    // /docs itself, and /support: an HTML page, not an API route (an Express middleware before, a route now).
    const served = servedRoutes(pipeline.api)
      .filter((route) => !/^\w+ \/(docs|support)\b/.test(route))
      .map((route) => route.replace(/:(\w+)/g, '{$1}'));
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(served.length).toBeGreaterThanOrEqual(7);
    expect(documented.sort()).toEqual(expect.arrayContaining(served.sort()));
  });
});
