import { z } from "zod";

/** What an injected fault does. */
export const FaultSchema = z.discriminatedUnion("kind", [
  /** Answer with this status and Graph's body for it (429/503/504 carry Retry-After). */
  z.strictObject({
    kind: z.literal("status"),
    status: z.union([z.literal(429), z.literal(503), z.literal(504), z.literal(412), z.literal(500)]),
    retryAfterSeconds: z.number().int().min(0).optional(),
  }),
  /** Close the client's connection without any response. */
  z.strictObject({ kind: z.literal("reset") }),
  /** Wait before handling (the request holds its concurrency slot meanwhile). */
  z.strictObject({ kind: z.literal("delay"), delayMs: z.number().int().min(0).max(600_000) }),
  /** Ignore `odata.maxpagesize`/`$top` and answer pages of `pageSize` items. */
  z.strictObject({ kind: z.literal("oversizePage"), pageSize: z.number().int().min(1).max(100_000) }),
]);
export type Fault = z.infer<typeof FaultSchema>;

/** A fault rule: which requests it hits and how often. */
export const FaultRuleSchema = z.strictObject({
  fault: FaultSchema,
  /** User id or UPN of the mailbox; any mailbox when absent. */
  mailbox: z.string().optional(),
  /** Regular expression over the mailbox-relative path, e.g. `^/contacts` or `/delta$`. */
  path: z.string().optional(),
  method: z.string().optional(),
  /** Fire for the next N matching requests, then retire. */
  times: z.number().int().min(1).optional(),
  /** Fire with this probability on each matching request (default 1). */
  probability: z.number().min(0).max(1).optional(),
});
export type FaultRuleInput = z.infer<typeof FaultRuleSchema>;

/** A stored rule. */
export interface FaultRule extends FaultRuleInput {
  id: string;
  fired: number;
  pathRegex?: RegExp;
}

/** The request a rule is matched against. */
export interface FaultTarget {
  userId: string;
  upn: string;
  method: string;
  /** Mailbox-relative path, e.g. `/contacts/AAMk...`, or `/$batch` style root paths. */
  path: string;
}

/**
 * Fault rules set through the admin API. Every matching rule fires, in the order added; the
 * guard applies delays, then page oversizing, then the first status or reset.
 */
export class FaultInjector {
  #rules: FaultRule[] = [];
  #next = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = {
      ...input,
      id: `fault-${this.#next++}`,
      fired: 0,
      pathRegex: input.path ? new RegExp(input.path, "i") : undefined,
    };
    this.#rules.push(rule);
    return rule;
  }

  list(): Omit<FaultRule, "pathRegex">[] {
    return this.#rules.map(({ pathRegex: _, ...r }) => r);
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length < before;
  }

  clear(): void {
    this.#rules = [];
  }

  /** The faults to apply to this request (and count them as fired). */
  pick(t: FaultTarget): Fault[] {
    const out: Fault[] = [];
    for (const rule of this.#rules) {
      if (!matches(rule, t)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.fired++;
      out.push(rule.fault);
    }
    this.#rules = this.#rules.filter((r) => r.times === undefined || r.fired < r.times);
    return out;
  }
}

function matches(rule: FaultRule, t: FaultTarget): boolean {
  if (rule.mailbox && rule.mailbox.toLowerCase() !== t.userId && rule.mailbox.toLowerCase() !== t.upn.toLowerCase()) {
    return false;
  }
  if (rule.method && rule.method.toUpperCase() !== t.method.toUpperCase()) return false;
  if (rule.pathRegex && !rule.pathRegex.test(t.path)) return false;
  return true;
}
