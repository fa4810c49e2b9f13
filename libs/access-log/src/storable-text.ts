/**
 * NUL and unpaired UTF-16 surrogates: Postgres text and jsonb refuse the first, and the second would
 * be stored as U+FFFD, i.e. not as sent. Found by the ingest fuzz test.
 */
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Any NUL or surrogate: one character class, far cheaper to scan for than the pairs above, and absent from most text. */
const NUL_OR_SURROGATE = /[\u0000\ud800-\udfff]/;

/** Whether Postgres stores this string exactly as sent. */
export function isStorableText(text: string): boolean {
  return !NUL_OR_SURROGATE.test(text) || !UNSTORABLE_TEXT.test(text);
}
