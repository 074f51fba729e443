import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * An Entra token-endpoint error. Rendered exactly as Entra does (graph-facts §7.1): `error`,
 * `error_description` ("AADSTSnnnn: ...\r\nTrace ID: ...\r\nCorrelation ID: ...\r\nTimestamp:
 * ..."), `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`, and `suberror`
 * when relevant (MSAL turns `invalid_grant` + `bad_token` into InteractionRequiredAuthError).
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
    readonly options: { status?: ContentfulStatusCode; suberror?: string } = {},
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.name = "OAuthError";
  }
}

/** Entra's timestamp format: `2024-05-01 10:00:00Z`. */
function entraTimestamp(): string {
  return new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function oauthErrorResponse(c: Context, err: OAuthError): Response {
  const traceId = crypto.randomUUID();
  const correlationId = c.req.query("client-request-id") ?? c.req.header("client-request-id") ?? crypto.randomUUID();
  const timestamp = entraTimestamp();
  return c.json({
    error: err.error,
    error_description:
      `AADSTS${err.aadsts}: ${err.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.aadsts}`,
    ...(err.options.suberror ? { suberror: err.options.suberror } : {}),
  }, err.options.status ?? 400);
}

/** `invalid_grant` with AADSTS code and optional suberror. */
export function invalidGrant(aadsts: number, description: string, suberror?: string): OAuthError {
  return new OAuthError("invalid_grant", aadsts, description, { suberror });
}

/**
 * `invalid_scope` AADSTS70011 for a scope this authority cannot issue (another resource's). The
 * wording follows Entra's 70011 message; the exact text is UNVERIFIED (README).
 */
export function invalidScope(scope: string): OAuthError {
  return new OAuthError(
    "invalid_scope",
    70011,
    `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope '${scope}' is not valid.`,
  );
}
