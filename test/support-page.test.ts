import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { ApiKeyRepository } from '#libs/auth';
import { launchChromium } from './support/browser.js';
import { TEST_API_KEY, anonymousHttp, http } from './support/http.js';
import { keyHistory } from './support/key-history.js';
import { makeRecord } from './support/factories.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('support page (headless Chromium)', () => {
  let pipeline: Pipeline;
  let browser: Browser;
  let page: Page;
  let base: string;
  const history = keyHistory();

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    const server: Server = await pipeline.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await http(server).post('/v1/logs').send(history.records).expect(202);
    await waitUntilStored(pipeline.db, history.records.map((r) => r.requestId as string));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline.close();
  });
  beforeEach(async () => {
    page = await browser.newPage();
    await page.goto(`${base}/support`);
  });
  afterEach(() => page.close());

  const text = (selector: string) => page.locator(selector).innerText();
  async function lookUp(requestId: string, key: string | null = TEST_API_KEY) {
    if (key !== null) await page.fill('#api-key', key);
    await page.fill('#request-id', requestId);
    await page.click('#submit');
  }

  it('serves a public, self-contained HTML shell', async () => {
    const res = await anonymousHttp(pipeline.api.getHttpServer()).get('/support').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('shows the request with its documented meaning, and the same key just before and after', async () => {
    await lookUp(history.target.requestId as string);
    await page.locator('#result').waitFor();
    expect(await text('[data-field=status]')).toBe('422');
    expect(await text('[data-field=statusName]')).toBe('Unprocessable Entity');
    expect(await text('[data-field=statusMeaning]')).toBe(
      'The request is well-formed but contains semantic errors. Field validation failures are returned in the details object.',
    );
    expect(await text('[data-field=error]')).toBe('validation_error');
    expect(await text('[data-field=message]')).toBe('The given data was invalid.');
    expect(JSON.parse(await text('[data-field=details]'))).toEqual({ redirect_url: ['The redirect url must be a valid URL.'] });
    expect(await text('[data-field=request]')).toBe('POST /v1/sessions/ses_4k2j9h7x/approve');
    expect(await text('[data-field=route]')).toBe('/v1/sessions/:id/approve');
    expect(await text('[data-field=apiKeyId]')).toBe(history.apiKeyId);
    expect(await text('[data-field=timestamp]')).toBe(history.target.timestamp);
    expect(await text('[data-field=duration]')).toBe('18.5 ms');

    const rows = page.locator('#neighbors tbody tr');
    await rows.nth(5).waitFor();
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-request-id"), tr.className]));
    expect(ids).toEqual([
      ...history.before.map((r) => [r.requestId, 'before']),
      [history.target.requestId, 'current'],
      ...history.after.map((r) => [r.requestId, 'after']),
    ]);
    expect(await rows.nth(2).innerText()).toContain('not_found');
    // The key survives a reload of the tab (sessionStorage), and a neighbour's link looks it up.
    await page.reload();
    expect(await page.inputValue('#api-key')).toBe(TEST_API_KEY);
    await page.locator(`#neighbors a[href="#${history.before[2]!.requestId}"]`).click();
    await page.locator('[data-field=status]', { hasText: '404' }).waitFor();
    expect(await text('[data-field=requestId]')).toBe(history.before[2]!.requestId);
  });

  it('renders a 404 from its {error, message, details} body', async () => {
    await lookUp('req_never_stored_page');
    await page.locator('#notice[data-code=not_found]').waitFor();
    const notice = await text('#notice');
    expect(notice).toContain('404 not_found: No request with X-Request-Id "req_never_stored_page" has been stored.');
    expect(notice).toContain('"requestId": "req_never_stored_page"');
    expect(await page.locator('#result').isHidden()).toBe(true);
  });

  it('asks for a key before calling the API when none is given', async () => {
    const apiCalls: string[] = [];
    page.on('request', (req) => void (req.url().includes('/v1/') && apiCalls.push(req.url())));
    await lookUp(history.target.requestId as string, '');
    await page.locator('#notice[data-code=missing_key]').waitFor();
    expect(await text('#notice')).toContain('Enter an API key with the logs:read scope');
    expect(apiCalls).toEqual([]);
  });

  it('renders 401 for an unknown key and 403 for a key without logs:read, from the real API', async () => {
    const writeOnly = await pipeline.api.get(ApiKeyRepository).create('support page writer', ['logs:write']);
    const sentKeys: string[] = [];
    page.on('request', (req) => void (req.url().includes('/v1/requests/') && sentKeys.push(req.headers()['x-api-key'] ?? '')));

    await lookUp(history.target.requestId as string, 'vlk_not_a_real_key_0123456789abcdef');
    await page.locator('#notice[data-code=unauthorized]').waitFor();
    expect(await text('#notice')).toContain('401 unauthorized: The API key is missing, invalid, or has been revoked.');
    expect(await text('#notice')).toContain('Check the key you entered');

    await lookUp(history.target.requestId as string, writeOnly.key);
    await page.locator('#notice[data-code=forbidden]').waitFor();
    expect(await text('#notice')).toContain('403 forbidden: The API key does not have the "logs:read" scope');
    expect(await text('#notice')).toContain('lacks the logs:read scope');
    expect(await page.locator('#result').isHidden()).toBe(true);
    expect(sentKeys).toEqual(['vlk_not_a_real_key_0123456789abcdef', writeOnly.key]);
  });

  it('says "spike detection unavailable" when the service has no /v1/spikes', async () => {
    await page.route('**/v1/spikes**', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: 'not_found', message: 'Cannot GET /v1/spikes', details: {} }) }),
    );
    await lookUp(history.target.requestId as string);
    await page.locator('#spike[data-state=unavailable]').waitFor();
    expect(await text('#spike')).toBe('Spike detection unavailable on this service.');
  });

  it('shows the 429 spike a rate-limited request fell into', async () => {
    // A quiet key for three hours (one 429 every 10 minutes), then 300 429s within two minutes.
    const burstStart = Date.now() - 30 * 60_000;
    const spikeKey = `key_live_spiky_${Date.now().toString(36)}`;
    const rateLimited = { status: 429, error: 'rate_limit_exceeded', message: 'Too many requests. Please retry after 30 seconds.', details: { retry_after: 30 }, retryAfter: 30, apiKeyId: spikeKey };
    const quiet = Array.from({ length: 18 }, (_, i) => makeRecord({ ...rateLimited, timestamp: new Date(burstStart - (i + 1) * 600_000).toISOString() }));
    const burst = Array.from({ length: 300 }, (_, i) => makeRecord({ ...rateLimited, timestamp: new Date(burstStart + i * 400).toISOString() }));
    await http(pipeline.api.getHttpServer()).post('/v1/logs').send([...quiet, ...burst]).expect(202);
    await waitUntilStored(pipeline.db, [...quiet, ...burst].map((r) => r.requestId as string));

    await lookUp(burst[150]!.requestId as string);
    await page.locator('#spike[data-state=inside]').waitFor({ timeout: 15_000 });
    expect(await text('#spike')).toMatch(/^Inside a 429 spike from .+ to .+: \d+ responses, peak/);
  });
});
