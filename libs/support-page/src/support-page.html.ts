import { SUPPORT_PAGE_SCRIPT } from './support-page.script.js';
import { SUPPORT_PAGE_STYLE } from './support-page.style.js';

/**
 * The support page: one self-contained HTML document (inline style and script, no build step, no
 * CDN). It holds no data; everything comes from the API with the key the user types in.
 */
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
  <label>API key (needs <code>logs:read</code>; kept for this tab only)
    <input id="api-key" name="apiKey" type="password" placeholder="vlk_…" spellcheck="false"></label>
  <label>X-Request-Id
    <input id="request-id" name="requestId" placeholder="req_7f3a…" spellcheck="false" required></label>
  <button id="submit" type="submit">Look up</button>
</form>
<p id="notice" role="alert" hidden></p>
<section id="result" hidden>
  <h2>Request <code data-field="requestId"></code></h2>
  <p class="status"><span data-field="status"></span> <span data-field="statusName"></span></p>
  <p data-field="statusMeaning" class="meaning"></p>
  <dl>
    <dt>Error code</dt><dd data-field="error"></dd>
    <dt>Message</dt><dd data-field="message"></dd>
    <dt>Details</dt><dd><pre data-field="details"></pre></dd>
    <dt>Request</dt><dd data-field="request"></dd>
    <dt>Route</dt><dd data-field="route"></dd>
    <dt>API key id</dt><dd data-field="apiKeyId"></dd>
    <dt>Sent at</dt><dd data-field="timestamp"></dd>
    <dt>Duration</dt><dd data-field="duration"></dd>
    <dt>Retry-After</dt><dd data-field="retryAfter"></dd>
    <dt>Received / stored</dt><dd data-field="ingest"></dd>
  </dl>
  <h3>Spike</h3>
  <p id="spike">…</p>
  <h3>Same API key, just before and after</h3>
  <p id="neighbors-note" hidden></p>
  <table id="neighbors"><thead><tr><th>sent at</th><th>request id</th><th>request</th><th>status</th><th>error</th><th>ms</th></tr></thead><tbody></tbody></table>
</section>
<script>${SUPPORT_PAGE_SCRIPT}</script>
</body>
</html>
`;
