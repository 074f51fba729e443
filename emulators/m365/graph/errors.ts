import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * A Graph error answer. Throw it anywhere in a Graph route; the app's error handler renders
 * Graph's body `{"error":{"code","message","innerError":{date,request-id,client-request-id}}}`
 * (graph-facts §6; the graph-client reads `innerError` in exactly this casing).
 */
export class GraphError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra `innerError` members, e.g. the throttling sample's `code`, `message`, `status`. */
    readonly innerError: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphError";
  }
}

/** `innerError.date` as Graph writes it: UTC, no fraction, no zone designator. */
function innerErrorDate(now = new Date()): string {
  return now.toISOString().slice(0, 19);
}

/** The error body for `code`/`message` with the request's ids. */
export function graphErrorBody(
  c: Context,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): { error: { code: string; message: string; innerError: Record<string, string> } } {
  const requestId = (c.get("requestId") as string | undefined) ?? crypto.randomUUID();
  const clientRequestId = c.get("clientRequestId") as string | undefined;
  return {
    error: {
      code,
      message,
      innerError: {
        ...extra,
        date: innerErrorDate(),
        "request-id": requestId,
        "client-request-id": clientRequestId ?? requestId,
      },
    },
  };
}

/**
 * A 429 as throttling.md shows it: `Retry-After` header and `innerError` with `code: "429"`,
 * `message: "Please retry after"` and `status: "429"` beside the usual date and ids.
 */
export function throttled(code: string, message: string, headers: Record<string, string>): GraphError {
  return new GraphError(429, code, message, headers, { code: "429", message: "Please retry after", status: "429" });
}

/** Renders a {@link GraphError} as a response. */
export function graphErrorResponse(c: Context, err: GraphError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(graphErrorBody(c, err.code, err.message, err.innerError), err.status);
}

/** 404 for a missing item, in Outlook's words. */
export function itemNotFound(): GraphError {
  return new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
}

/** 400 for bad input (query option, body field). */
export function badRequest(message: string, code = "BadRequest"): GraphError {
  return new GraphError(400, code, message);
}

/** 403 as Outlook answers a missing permission or someone else's mailbox. */
export function accessDenied(): GraphError {
  return new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
}

/** 412 when the change key does not match (If-Match, or an injected fault). */
export function irresolvableConflict(): GraphError {
  return new GraphError(
    412,
    "ErrorIrresolvableConflict",
    "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
  );
}
