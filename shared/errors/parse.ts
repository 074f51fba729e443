import type { z } from "zod";
import { toFieldIssues, ValidationError } from "./errors.ts";

/**
 * Parses `input` with `schema`, throwing a {@link ValidationError} whose message names every
 * failing field, e.g. `contact: emails.0.address: Invalid email address`.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error.issues);
  throw new ValidationError(
    `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    issues,
    { cause: result.error },
  );
}
