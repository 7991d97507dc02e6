/**
 * The pipe contract.
 * @module
 */

/** What a pipe learns about the parameter it transforms. */
export interface ArgumentMetadata {
  /** Always `'body'`: pipes run on `@MessageBody()` parameters. */
  readonly type: 'body';
  /** The parameter's declared type as emitted by TypeScript (`String`, a DTO class, …). */
  readonly metatype: unknown;
  /** The property given to `@MessageBody(property)`, if any. */
  readonly data: string | undefined;
  /** The parameter's position in the handler's signature. */
  readonly index: number;
}

/**
 * Transforms (or rejects, by throwing) a message body before the handler sees it.
 *
 * @example
 * class TrimPipe implements PipeTransform<string, string> {
 *   transform(value: string) { return value.trim(); }
 * }
 */
// `any` defaults: a pipe without type arguments accepts and returns anything, as users expect.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface PipeTransform<T = any, R = any> {
  transform(value: T, metadata: ArgumentMetadata): R | Promise<R>;
}
