import type { z } from 'zod';

/** A check across variables of one slice, reported against `variable` when it fails. */
export interface SliceCheck<Env> {
  variable: string;
  message: string;
  holds(env: Env): boolean;
}

/**
 * One component's configuration: the environment variables it reads (zod schemas with their
 * defaults), the typed object it builds from them, checks across its variables, and the token under
 * which ConfigModule provides that object. Declared beside the component (`<lib>/src/<name>.config.ts`);
 * the apps compose the slices they use.
 */
export interface ConfigSlice<Key extends string = string, Shape extends z.ZodRawShape = z.ZodRawShape, Value = unknown> {
  /** Name of the slice in the composed configuration (`config.<key>`). */
  readonly key: Key;
  /** Injection token of the slice's object: `@Inject(INGEST_CONFIG.token)`. */
  readonly token: symbol;
  readonly variables: Shape;
  readonly checks: readonly SliceCheck<z.output<z.ZodObject<Shape>>>[];
  build(env: z.output<z.ZodObject<Shape>>): Value;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any slice, whatever its variables
export type AnyConfigSlice = ConfigSlice<string, any, unknown>;

/** The typed object a slice builds. */
export type SliceValue<S> = S extends ConfigSlice<string, z.ZodRawShape, infer Value> ? Value : never;

/** The composed configuration of a list of slices: `{ [slice.key]: its object }`. */
export type ComposedConfig<Slices extends readonly AnyConfigSlice[]> = {
  readonly [S in Slices[number] as S['key']]: SliceValue<S>;
};

export function defineConfigSlice<const Key extends string, Shape extends z.ZodRawShape, Value>(slice: {
  key: Key;
  variables: Shape;
  build(env: z.output<z.ZodObject<Shape>>): Value;
  checks?: SliceCheck<z.output<z.ZodObject<Shape>>>[];
}): ConfigSlice<Key, Shape, Value> {
  return { ...slice, checks: slice.checks ?? [], token: Symbol(`config:${slice.key}`) };
}
