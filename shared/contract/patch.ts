import { z } from "zod";

type Patched<S extends z.ZodRawShape> = {
  [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer I extends z.ZodType> ? I : S[K]>;
};

/**
 * A patch of an object schema: every field optional and **without its default**, so a parsed patch
 * holds only the fields the sender gave. (`.partial()` keeps defaults in zod 4, which would turn
 * `{ givenName: "Anna" }` into a full record that blanks every other field.)
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<Patched<S>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = field instanceof z.ZodDefault ? field.unwrap() as z.ZodType : field as z.ZodType;
    shape[key] = inner.optional();
  }
  return z.object(shape) as unknown as z.ZodObject<Patched<S>>;
}
