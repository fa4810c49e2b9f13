import { createHash } from 'node:crypto';
import { NEXT_STEPS } from './next-step.js';
import { supportPageClient } from './support-page.client.js';
import { SUPPORT_PAGE_STYLE } from './support-page.style.js';

/** The page's one script: the type-checked client function's own source, called with the next steps. */
const SCRIPT = `(${supportPageClient.toString()})(${JSON.stringify(NEXT_STEPS)});`;

/** CSP source for an inline block: its SHA-256, so only this exact script / style may run. */
const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The support page: one self-contained HTML document (no build step, no CDN). It holds no data;
 * everything comes from the API with the key the user types in. Its inline script and style are
 * allowed by their hashes in the Content-Security-Policy, not by 'unsafe-inline'.
 */
export const SUPPORT_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${cspHash(SCRIPT)}`,
  `style-src ${cspHash(SUPPORT_PAGE_STYLE)}`,
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SUPPORT_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verilock support: request lookup</title>
<style>${SUPPORT_PAGE_STYLE}</style>
</head>
<body>
<header><h1>Verilock request lookup</h1><p>Paste the <code>X-Request-Id</code> a customer sent you.</p></header>
<form id="lookup" autocomplete="off">
  <label><span>API key <small>(logs:read, kept for this tab)</small></span>
    <input id="api-key" name="apiKey" type="password" placeholder="vlk_…" spellcheck="false"></label>
  <label><span>X-Request-Id</span>
    <input id="request-id" name="requestId" placeholder="req_7f3a…" spellcheck="false" required></label>
  <button id="submit" type="submit">Look up</button>
</form>
<div id="notice" role="alert" hidden></div>
<section id="result" hidden>
  <h2>Request <code data-field="requestId"></code></h2>
  <p class="status"><span data-field="status"></span> <span data-field="statusName"></span></p>
  <p data-field="statusMeaning" class="meaning"></p>
  <p class="next"><strong>Client's next step:</strong> <span data-field="nextStep"></span></p>
  <dl class="record">
    <dt>Error code</dt><dd data-field="error"></dd>
    <dt>Message</dt><dd data-field="message"></dd>
    <dt>Details</dt><dd data-field="details"></dd>
    <dt>Request</dt><dd data-field="request"></dd>
    <dt>Route</dt><dd data-field="route"></dd>
    <dt>API key id</dt><dd data-field="apiKeyId"></dd>
    <dt>Sent at</dt><dd data-field="timestamp"></dd>
    <dt>Duration</dt><dd data-field="duration"></dd>
    <dt>Retry-After</dt><dd data-field="retryAfter"></dd>
    <dt>Stored</dt><dd data-field="ingest"></dd>
  </dl>
  <h3>Spike</h3>
  <p id="spike">…</p>
  <h3>Same API key, per minute (±15 min)</h3>
  <div id="timeline" aria-label="requests per minute by status class"></div>
  <p class="legend"><span class="c2">2xx</span> <span class="c3">3xx</span> <span class="c4">4xx</span> <span class="c5">5xx</span> \
— the outlined minute holds this request</p>
  <h3>Same API key, just before and after</h3>
  <p id="neighbors-note" hidden></p>
  <div class="scroll"><table id="neighbors" hidden><thead><tr>\
<th>when</th><th>request id</th><th>request</th><th>status</th><th>error</th><th>ms</th>\
</tr></thead><tbody></tbody></table></div>
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
