import { canonicalExtendedPropertyId } from "../state/extended_property_id.ts";
import { badRequest } from "./errors.ts";

/**
 * A small OData `$filter` parser and evaluator covering the forms we use: comparisons
 * (`eq ne gt ge lt le`), `and`/`or`/`not`, parentheses, `startswith/endswith/contains`,
 * `tolower/toupper`, `cast(x,Edm.Int32)`, and lambdas `path/any(v: ...)` / `all` — e.g.
 * `singleValueExtendedProperties/Any(ep: ep/id eq '...' and ep/value eq '...')`.
 */
export type FilterExpr =
  | { t: "bool"; op: "and" | "or"; l: FilterExpr; r: FilterExpr }
  | { t: "not"; e: FilterExpr }
  | { t: "cmp"; op: "eq" | "ne" | "gt" | "ge" | "lt" | "le"; l: Operand; r: Operand }
  | { t: "test"; e: Operand };
export type Operand =
  | { t: "lit"; v: string | number | boolean | null }
  | { t: "path"; segs: string[] }
  | { t: "call"; fn: string; args: Operand[] }
  | { t: "lambda"; segs: string[]; quant: "any" | "all"; v: string; body: FilterExpr };

type Tok = { k: "p"; v: string } | { k: "s"; v: string } | { k: "n"; v: number } | { k: "i"; v: string };

const CMP = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const DATETIME = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?/;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) i++;
    else if ("(),/:".includes(ch)) out.push({ k: "p", v: src[i++]! });
    else if (ch === "'") {
      let v = "";
      i++;
      for (;;) {
        if (i >= src.length) throw invalid("unterminated string literal");
        if (src[i] === "'" && src[i + 1] === "'") (v += "'", i += 2);
        else if (src[i] === "'") break;
        else v += src[i++];
      }
      i++;
      out.push({ k: "s", v });
    } else if (DATETIME.test(src.slice(i)) && /\d{4}-/.test(src.slice(i, i + 5))) {
      const m = DATETIME.exec(src.slice(i))!;
      out.push({ k: "s", v: m[0] });
      i += m[0].length;
    } else if (/[-\d]/.test(ch)) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
      if (!m) throw invalid(`unexpected '${ch}'`);
      out.push({ k: "n", v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_$@]/.test(ch)) {
      const m = /^[A-Za-z_$@][\w.$@]*/.exec(src.slice(i))!;
      out.push({ k: "i", v: m[0] });
      i += m[0].length;
    } else throw invalid(`unexpected '${ch}'`);
  }
  return out;
}

function invalid(why: string) {
  return badRequest(`Invalid filter clause: ${why}.`);
}

/** Parses a `$filter` value; throws a Graph 400 on anything outside the supported forms. */
export function parseFilter(src: string): FilterExpr {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const isWord = (w: string) => {
    const t = peek();
    return t?.k === "i" && t.v.toLowerCase() === w;
  };
  const expectP = (v: string) => {
    const t = toks[pos++];
    if (!t || t.k !== "p" || t.v !== v) throw invalid(`expected '${v}'`);
  };

  const expr = (): FilterExpr => {
    let l = and();
    while (isWord("or")) (pos++, l = { t: "bool", op: "or", l, r: and() });
    return l;
  };
  const and = (): FilterExpr => {
    let l = unary();
    while (isWord("and")) (pos++, l = { t: "bool", op: "and", l, r: unary() });
    return l;
  };
  const unary = (): FilterExpr => {
    if (isWord("not")) return (pos++, { t: "not", e: unary() });
    const t = peek();
    if (t?.k === "p" && t.v === "(") {
      pos++;
      const e = expr();
      expectP(")");
      return e;
    }
    const l = operand();
    const op = peek();
    if (op?.k === "i" && CMP.has(op.v.toLowerCase())) {
      pos++;
      return { t: "cmp", op: op.v.toLowerCase() as "eq", l, r: operand() };
    }
    return { t: "test", e: l };
  };
  const operand = (): Operand => {
    const t = toks[pos++];
    if (!t) throw invalid("unexpected end");
    if (t.k === "s" || t.k === "n") return { t: "lit", v: t.v };
    if (t.k !== "i") throw invalid(`unexpected '${t.v}'`);
    const word = t.v.toLowerCase();
    if (word === "true" || word === "false") return { t: "lit", v: word === "true" };
    if (word === "null") return { t: "lit", v: null };
    if (peek()?.k === "p" && peek()!.v === "(") {
      pos++;
      const args: Operand[] = [];
      while (!(peek()?.k === "p" && peek()!.v === ")")) {
        args.push(operand());
        if (peek()?.k === "p" && peek()!.v === ",") pos++;
      }
      pos++;
      return { t: "call", fn: word, args };
    }
    const segs = [t.v];
    while (peek()?.k === "p" && peek()!.v === "/") {
      pos++;
      const s = toks[pos++];
      if (!s || s.k !== "i") throw invalid("expected a property name after '/'");
      const q = s.v.toLowerCase();
      if ((q === "any" || q === "all") && peek()?.k === "p" && peek()!.v === "(") {
        pos++;
        const v = toks[pos++];
        if (!v || v.k !== "i") throw invalid("expected a lambda variable");
        expectP(":");
        const body = expr();
        expectP(")");
        return { t: "lambda", segs, quant: q, v: v.v, body };
      }
      segs.push(s.v);
    }
    return { t: "path", segs };
  };

  const e = expr();
  if (pos !== toks.length) throw invalid("unexpected trailing input");
  return e;
}

type Value = unknown;
type Scope = Record<string, Value>;

/** Evaluates `expr` against `item` (its Graph JSON shape, with property names as rendered). */
export function evaluateFilter(expr: FilterExpr, item: Record<string, unknown>): boolean {
  return test(expr, item, {});
}

function test(e: FilterExpr, item: Record<string, unknown>, vars: Scope): boolean {
  switch (e.t) {
    case "bool":
      return e.op === "and"
        ? test(e.l, item, vars) && test(e.r, item, vars)
        : test(e.l, item, vars) || test(e.r, item, vars);
    case "not":
      return !test(e.e, item, vars);
    case "test":
      return value(e.e, item, vars) === true;
    case "cmp":
      return compare(e.op, value(e.l, item, vars), value(e.r, item, vars));
  }
}

function value(o: Operand, item: Record<string, unknown>, vars: Scope): Value {
  switch (o.t) {
    case "lit":
      return o.v;
    case "path":
      return resolve(o.segs, item, vars);
    case "lambda": {
      const coll = resolve(o.segs, item, vars);
      const list = Array.isArray(coll) ? coll : [];
      const each = (x: unknown) => test(o.body, item, { ...vars, [o.v.toLowerCase()]: x });
      return o.quant === "any" ? list.some(each) : list.every(each);
    }
    case "call": {
      const a = o.args.map((x) => value(x, item, vars));
      const s = (x: unknown) => (typeof x === "string" ? x.toLowerCase() : "");
      switch (o.fn) {
        case "startswith":
          return typeof a[0] === "string" && s(a[0]).startsWith(s(a[1]));
        case "endswith":
          return typeof a[0] === "string" && s(a[0]).endsWith(s(a[1]));
        case "contains":
          return typeof a[0] === "string" && s(a[0]).includes(s(a[1]));
        case "tolower":
          return typeof a[0] === "string" ? a[0].toLowerCase() : a[0];
        case "toupper":
          return typeof a[0] === "string" ? a[0].toUpperCase() : a[0];
        case "cast":
          return a[0] === null || a[0] === undefined ? null : castTo(a[0], o.args[1]);
        default:
          throw invalid(`unsupported function '${o.fn}'`);
      }
    }
  }
}

function castTo(v: unknown, type: Operand | undefined): unknown {
  const name = type?.t === "path" ? type.segs.join("/") : type?.t === "lit" ? String(type.v) : "";
  return /int|double|decimal|single/i.test(name) ? Number(v) : String(v);
}

function resolve(segs: string[], item: Record<string, unknown>, vars: Scope): Value {
  let cur: Value = item;
  let rest = segs;
  const first = segs[0]!.toLowerCase();
  if (first in vars) (cur = vars[first], rest = segs.slice(1));
  for (const seg of rest) {
    if (cur === null || typeof cur !== "object") return undefined;
    const key = Object.keys(cur).find((k) => k.toLowerCase() === seg.toLowerCase());
    cur = key === undefined ? undefined : (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function compare(op: string, a: Value, b: Value): boolean {
  if (op === "eq" || op === "ne") {
    const same = equal(a, b);
    return op === "eq" ? same : !same;
  }
  const [x, y] = typeof a === "string" && typeof b === "string" ? orderable(a, b) : [a, b];
  if (x === null || x === undefined || y === null || y === undefined) return false;
  // deno-lint-ignore no-explicit-any
  const [l, r] = [x as any, y as any];
  return op === "gt" ? l > r : op === "ge" ? l >= r : op === "lt" ? l < r : l <= r;
}

// Outlook compares strings case-insensitively, except the Name part of an extended property id.
function equal(a: Value, b: Value): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (typeof a === "string" && typeof b === "string") {
    const ka = canonicalExtendedPropertyId(a);
    const kb = canonicalExtendedPropertyId(b);
    if (ka && kb) return ka === kb;
    const [x, y] = orderable(a, b);
    return x === y;
  }
  return a === b;
}

function orderable(a: string, b: string): [string | number, string | number] {
  if (DATETIME.test(a) && DATETIME.test(b)) {
    const x = Date.parse(withZone(a));
    const y = Date.parse(withZone(b));
    if (!Number.isNaN(x) && !Number.isNaN(y)) return [x, y];
  }
  return [a.toLowerCase(), b.toLowerCase()];
}

// A zone-less dateTime is UTC in Graph filters; Date.parse would read it as local time.
function withZone(s: string): string {
  return /T/.test(s) && !/(Z|[+-]\d{2}:\d{2})$/.test(s) ? `${s}Z` : s;
}
