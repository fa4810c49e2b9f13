import type { AppRegistry } from './metrics-registry.js';
import type { Exemplar, Family, FamilyType, Sample } from './exposition.js';

const TYPES: readonly FamilyType[] = ['counter', 'gauge', 'histogram', 'summary'];

/**
 * The families of a prom-client registry, read through its public getMetricsAsJSON(): the process
 * and ingest metrics, a few hundred samples at most (the large request metrics are not in it).
 */
export async function registryFamilies(registry: AppRegistry): Promise<Family[]> {
  const metrics = await registry.getMetricsAsJSON();
  return metrics.map((metric) => {
    const type = String(metric.type);
    const samples: Sample[] = metric.values.map((value) => {
      const { le, ...labels } = value.labels as Record<string, string | number>;
      const sample: Sample = {
        name: 'metricName' in value && typeof value.metricName === 'string' ? value.metricName : metric.name,
        labels,
        value: value.value,
      };
      if (le !== undefined) sample.le = le;
      if ('exemplar' in value && isExemplar(value.exemplar)) sample.exemplar = value.exemplar;
      return sample;
    });
    return { name: metric.name, help: metric.help, type: TYPES.find((t) => t === type) ?? 'untyped', samples: () => samples };
  });
}

function isExemplar(value: unknown): value is Exemplar {
  return typeof value === 'object' && value !== null && 'labelSet' in value && 'value' in value;
}
