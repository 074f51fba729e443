import type { Context } from "hono";
import { parseOrThrow, ValidationError } from "@app/shared/errors";
import type { z } from "zod";

/** The JSON body parsed with `schema`; a body that is not JSON or does not match is a 400 naming the fields. */
export async function bodyOf<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ValidationError("body: not JSON", [{ path: "(root)", message: "not JSON" }]);
  }
  return parseOrThrow(schema, raw, "body");
}
