import type { Context } from "hono";
import type { z } from "zod";
import type { EmulatorContext } from "../context.ts";
import { parseJson } from "../graph/body.ts";
import { badRequest, GraphError } from "../graph/errors.ts";
import type { User } from "../state/directory.ts";

/** Parses an admin JSON body (empty body = `{}`); failures answer a Graph-style 400 naming the field. */
export async function adminBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw badRequest("The admin request body is not valid JSON.");
    }
  }
  return parseJson(schema, raw, "admin request");
}

/** The user named by id or UPN in the path, in any tenant; 404 otherwise. */
export function adminUser(ctx: EmulatorContext, idOrUpn: string): User {
  const user = ctx.state.findUser(undefined, decodeURIComponent(idOrUpn));
  if (!user) throw new GraphError(404, "ErrorInvalidUser", `The requested user '${idOrUpn}' is invalid.`);
  return user;
}
