/** Base of every error the services raise on purpose. */
export class AppError extends Error {
  /** Stable machine-readable code, e.g. `validation_failed`. */
  readonly code: string;
  /** HTTP status this error maps to at the edge. */
  readonly status: number;
  /** Extra fields published with the error (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(
    code: string,
    status: number,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, { cause: options?.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = options?.details;
  }
}

/** One field that failed validation: `path` names the field (`address.city`, `emails.0`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Input that does not match its schema; lists every failing field. */
export class ValidationError extends AppError {
  readonly issues: FieldIssue[];
  constructor(message: string, issues: FieldIssue[], options?: { cause?: unknown }) {
    super("validation_failed", 400, message, { ...options, details: { issues } });
    this.issues = issues;
  }
}

/** Missing or unknown credentials. */
export class UnauthorizedError extends AppError {
  constructor(message = "missing or invalid credentials", options?: { cause?: unknown }) {
    super("unauthorized", 401, message, options);
  }
}

/** Known caller, action not allowed (feature switched off, right not granted, other tenant). */
export class ForbiddenError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, 403, message, options);
  }
}

/** The addressed thing does not exist (or belongs to another tenant, which looks the same). */
export class NotFoundError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super("not_found", 404, message, options);
  }
}

/** The request contradicts existing state (e.g. an account already linked elsewhere). */
export class ConflictError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, 409, message, options);
  }
}

/**
 * The user's Microsoft 365 account is not linked (A1): link it first. Sync services stop for the
 * user; the CRM shows "not linked".
 */
export class NotLinkedError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("not_linked", 409, message, options);
  }
}

/**
 * Microsoft refused to refresh the user's tokens (consent revoked, password reset): the user must
 * sign in again (A6). `reason` is what status shows.
 */
export class NeedsReconnectError extends AppError {
  readonly reason: string;
  constructor(message: string, reason: string, options?: { cause?: unknown }) {
    super("needs_reconnect", 409, message, { ...options, details: { reason } });
    this.reason = reason;
  }
}

/** A transient failure: try again after `retryAfterMs`. NATS consumers nak with this delay. */
export class RetryableError extends AppError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs = 1_000, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super("retryable", 503, message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A dependency (Postgres, NATS, Graph, the CRM) did not answer or answered nonsense. */
export class UpstreamError extends AppError {
  constructor(
    code: string,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown>; status?: number },
  ) {
    super(code, options?.status ?? 502, message, options);
  }
}

/** Configuration from the environment is invalid; the message lists every bad variable. */
export class ConfigError extends AppError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(
      "config_invalid",
      500,
      `invalid configuration:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n")}`,
      { details: { issues } },
    );
    this.issues = issues;
  }
}

/** True for errors that should be retried later rather than given up on. */
export function isRetryable(err: unknown): err is RetryableError {
  return err instanceof RetryableError;
}

/** Converts a zod-style issue list into field issues with dotted paths. */
export function toFieldIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldIssue[] {
  return issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join(".") : "(root)",
    message: i.message,
  }));
}
