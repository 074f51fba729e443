// The calendar module's one error type. Pure code throws it; the HTTP layer turns it into
// Graph's error body ({"error":{"code","message","innerError"}}) through the core's helpers.

/** A Graph error answer: HTTP status plus Graph's `error.code` and `error.message`. */
export class CalendarError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CalendarError";
  }
}

/** Graph's answer to a body that fails property validation (field reports, see README). */
export function validationError(message: string): CalendarError {
  return new CalendarError(400, "ErrorPropertyValidationFailure", message);
}
