import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Counter, Histogram, Registry } from 'prom-client';
import { type ExpositionFormat, writeFamilies } from './exposition.js';
import type { AppRegistry, MetricSources } from './metrics-registry.js';
import { registryFamilies } from './registry-families.js';

/** One render, encoded once for every scraper it is served to. */
export class RenderedMetrics {
  readonly bytes: Buffer;
  private gzipped?: Promise<Buffer>;

  constructor(
    readonly contentType: string,
    readonly body: string,
  ) {
    this.bytes = Buffer.from(body, 'utf8');
  }

  /** The body gzipped (Prometheus asks for it), compressed off the event loop once per render. */
  gzip(): Promise<Buffer> {
    this.gzipped ??= promisify(gzip)(this.bytes);
    return this.gzipped;
  }
}

export interface RendererOptions {
  app: 'api' | 'worker';
  registry: AppRegistry;
  sources: MetricSources;
  /** How long a render is served to later scrapers (METRICS_RENDER_CACHE_MS); 0: only to concurrent ones. */
  cacheMs: number;
}

/** One format's last render, and the render in progress with the scrapers waiting for it. */
interface FormatState {
  rendered?: RenderedMetrics;
  renderedAt: number;
  inFlight?: Promise<RenderedMetrics | undefined>;
  readonly waiters: Set<() => boolean>;
}

const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
  text: Registry.PROMETHEUS_CONTENT_TYPE,
};

/**
 * Renders /metrics at most once per format per METRICS_RENDER_CACHE_MS, however many scrapers ask:
 * scrapers arriving during a render wait for that render (single flight), later ones within the cache
 * time get its body. Nothing is rendered for a scraper whose connection has already closed, and a render
 * everybody has stopped waiting for is abandoned at its next chunk. OpenMetrics (with the exemplars) goes
 * to scrapers that ask for it, the classic text format (what `promtool check metrics` reads) to the rest.
 */
export class MetricsRenderer {
  private readonly states = new Map<ExpositionFormat, FormatState>();
  private readonly renders: Counter;
  private readonly duration: Histogram;

  constructor(private readonly options: RendererOptions) {
    const registers = [options.registry];
    this.renders = new Counter({
      name: 'verilock_metrics_renders_total',
      help: 'Renders of /metrics by format; concurrent scrapes share one, and its body is reused for METRICS_RENDER_CACHE_MS.',
      labelNames: ['format'],
      registers,
    });
    this.duration = new Histogram({
      name: 'verilock_metrics_render_duration_seconds',
      help: 'Wall time of one /metrics render, including the yields to the event loop between its chunks.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }

  /**
   * The exposition for a scraper with this Accept header; `gone` tells whether its connection has
   * closed. Undefined when it has: nobody is left to answer.
   */
  async render(accept: string | undefined, gone: () => boolean): Promise<RenderedMetrics | undefined> {
    const format: ExpositionFormat = /application\/openmetrics-text/i.test(accept ?? '') ? 'openmetrics' : 'text';
    const state = this.state(format);
    if (state.rendered && Date.now() - state.renderedAt < this.options.cacheMs) return state.rendered;
    if (gone()) return undefined;
    state.waiters.add(gone);
    try {
      state.inFlight ??= this.renderNow(format, state);
      const rendered = await state.inFlight;
      return gone() ? undefined : rendered;
    } finally {
      state.waiters.delete(gone);
    }
  }

  private async renderNow(format: ExpositionFormat, state: FormatState): Promise<RenderedMetrics | undefined> {
    const started = process.hrtime.bigint();
    this.renders.inc({ format });
    try {
      const families = [...(await registryFamilies(this.options.registry)), ...this.options.sources.families()];
      const wanted = () => [...state.waiters].some((gone) => !gone());
      const body = await writeFamilies(families, { format, constantLabels: { app: this.options.app }, wanted });
      if (body === undefined) return undefined;
      state.rendered = new RenderedMetrics(CONTENT_TYPES[format], body);
      state.renderedAt = Date.now();
      return state.rendered;
    } finally {
      state.inFlight = undefined;
      this.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private state(format: ExpositionFormat): FormatState {
    let state = this.states.get(format);
    if (!state) {
      state = { renderedAt: 0, waiters: new Set() };
      this.states.set(format, state);
    }
    return state;
  }
}
