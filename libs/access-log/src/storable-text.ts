/**
 * NUL and unpaired UTF-16 surrogates: Postgres text and jsonb refuse the first, and the second would
 * be stored as U+FFFD, i.e. not as sent. Found by the ingest fuzz test.
 */
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether Postgres stores this string exactly as sent. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE_TEXT.test(text);
}
