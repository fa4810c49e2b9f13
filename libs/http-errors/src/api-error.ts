import { HttpException } from '@nestjs/common';

/**
 * An error answer in the Verilock shape `{error, message, details}`, with optional extra headers, for
 * the HTTP edge only (the auth guard's 401/403). Services throw domain errors (#libs/errors) instead.
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super({ error: code, message, details }, status);
  }
}
