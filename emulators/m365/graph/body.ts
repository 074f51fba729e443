import type { Context } from "hono";
import type { z } from "zod";
import { badRequest } from "./errors.ts";

/**
 * Reads a JSON body and validates it with `schema`. Malformed JSON and failing fields answer
 * Graph-style 400s that name the field (unknown properties as OData's `RequestBodyRead` does).
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S, typeName: string): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw badRequest(
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
  return parseJson(schema, raw, typeName);
}

/** Validates an already-parsed value the same way as {@link readJsonBody}. */
export function parseJson<S extends z.ZodType>(schema: S, raw: unknown, typeName: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const at = issue.path.length ? `${issue.path.join(".")}.` : "";
    throw badRequest(
      `The property '${at}${key}' does not exist on type '${typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      "RequestBodyRead",
    );
  }
  const field = issue.path.length ? issue.path.join(".") : "(body)";
  throw badRequest(`Invalid value for property '${field}': ${issue.message}.`, "RequestBodyRead");
}
