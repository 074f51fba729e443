import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../errors/mod.ts";

/** Largest request body a service accepts unless it says otherwise (Graph notification batches fit). */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** A request body over the service's limit (413). */
export class BodyTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super("body_too_large", 413, `the request body is larger than ${limitBytes} bytes`, {
      details: { limitBytes },
    });
  }
}

/**
 * Refuses bodies over `maxBytes` with 413 before anything parses them: by `Content-Length`, or
 * while reading a body sent without one.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new BodyTooLargeError(maxBytes);
    },
  });
}
