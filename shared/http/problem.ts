import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, type FieldIssue, toFieldIssues, ValidationError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { AppEnv } from "./env.ts";
import { checkStrictJson } from "./strict_json.ts";

/** RFC 9457 problem details, as every service answers errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  issues?: FieldIssue[];
  retryAfterMs?: number;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  422: "Unprocessable Content",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** Maps any thrown value to a problem; unexpected errors reveal nothing but the request id. */
export function toProblem(err: unknown, requestId?: string): Problem {
  if (err instanceof AppError) {
    return {
      type: `urn:crmsync:problem:${err.code}`,
      title: TITLES[err.status] ?? "Error",
      status: err.status,
      detail: err.message,
      code: err.code,
      requestId,
      ...(err instanceof ValidationError ? { issues: err.issues } : {}),
      ...("retryAfterMs" in err ? { retryAfterMs: err.retryAfterMs as number } : {}),
    };
  }
  if (err instanceof HTTPException) {
    return {
      type: `urn:crmsync:problem:http_${err.status}`,
      title: TITLES[err.status] ?? "Error",
      status: err.status,
      detail: err.message || TITLES[err.status] || "error",
      code: `http_${err.status}`,
      requestId,
    };
  }
  return {
    type: "urn:crmsync:problem:internal",
    title: TITLES[500]!,
    status: 500,
    detail: "internal error; quote the request id when reporting it",
    code: "internal",
    requestId,
  };
}

/** Sends a problem+json response. */
export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    "content-type": "application/problem+json",
  });
}

/** `app.onError` handler: logs server-side failures and answers problem+json. */
export function problemErrorHandler(logger: Logger) {
  return (err: Error, c: Context<AppEnv>): Response => {
    const problem = toProblem(err, c.get("requestId"));
    if (problem.status >= 500) logger.error("request failed", { error: err, path: c.req.path });
    return problemResponse(c, problem);
  };
}

/**
 * Validation hook for OpenAPIHono: a bad body/query/param is a 400 that names every field; a JSON
 * body is strict besides ({@link checkStrictJson}: unknown keys and empty updates refused).
 */
export async function validationHook(
  result:
    & { target: string }
    & (
      | { success: true; data?: unknown }
      | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } }
    ),
  c: Context,
): Promise<undefined> {
  if (result.success) {
    if (result.target === "json") await checkStrictJson(c, result.data);
    return undefined;
  }
  const issues = toFieldIssues(result.error.issues);
  throw new ValidationError(
    `invalid ${result.target}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    issues,
  );
}
