import type { Context } from "hono";
import { type FieldIssue, ValidationError } from "../errors/mod.ts";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Paths of keys the client sent that the schema does not know: zod objects drop unknown keys, so
 * every key of `raw` missing from `parsed` is one (records and loose objects keep theirs).
 */
export function unknownKeys(raw: unknown, parsed: unknown, path = ""): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    return raw.flatMap((v, i) => unknownKeys(v, parsed[i], `${path}${i}.`));
  }
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return [];
  return Object.keys(raw).flatMap((k) =>
    Object.hasOwn(parsed, k) ? unknownKeys(raw[k], parsed[k], `${path}${k}.`) : [`${path}${k}`]
  );
}

/**
 * Every JSON body is strict: an unknown key, at any depth, is refused naming it (a typo must not
 * be mistaken for "not given"), and a PUT or PATCH carrying `{}` changes nothing, so it is refused
 * too. Runs after the route's schema accepted the body.
 */
export async function checkStrictJson(c: Context, parsed: unknown): Promise<void> {
  const raw: unknown = await c.req.json();
  const issues: FieldIssue[] = unknownKeys(raw, parsed).map((path) => ({ path, message: "unknown field" }));
  if (issues.length === 0 && /^(PUT|PATCH)$/.test(c.req.method) && isPlainObject(raw)) {
    if (Object.keys(raw).length === 0) {
      issues.push({ path: "(root)", message: "empty update: send the fields to change" });
    }
  }
  if (issues.length > 0) {
    throw new ValidationError(`invalid json: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
  }
}
