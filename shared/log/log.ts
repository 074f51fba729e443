import { AsyncLocalStorage } from "node:async_hooks";

/** Severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Correlation fields carried by every line logged inside {@link withLogContext}. */
export interface LogContext {
  requestId?: string;
  runId?: string;
  tenantId?: string;
  userId?: string;
  msgId?: string;
  [key: string]: unknown;
}

const contextStore = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with extra correlation fields (request id, run id, …) added to every log line inside it. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return contextStore.run({ ...contextStore.getStore(), ...fields }, fn);
}

/** The correlation fields in effect right now. */
export function currentLogContext(): LogContext {
  return contextStore.getStore() ?? {};
}

// Keys whose values must never reach a log line, wherever they are nested.
const SECRET_KEY = /token|secret|password|passwd|authorization|api[-_]?key|cookie|verifier|credential/i;
// An error code reads like one (`invalid_message`, `AADSTS50173`); anything else under `code` is
// taken for an OAuth authorization code and masked.
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
// Secrets recognisable by their shape, wherever they appear in a string: JWTs (access and ID
// tokens), our API keys, bearer credentials.
const SECRET_VALUE = /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*|\bcsk_[a-z0-9]{12}_[\w-]{43}|\b(Bearer\s+)[\w.~+/-]+=*/g;
const REDACTED = "[redacted]";

const maskString = (s: string) => s.replace(SECRET_VALUE, (_m, bearer?: string) => `${bearer ?? ""}${REDACTED}`);

function redactEntry(key: string, v: unknown, depth: number): unknown {
  if (SECRET_KEY.test(key)) return REDACTED;
  if (key === "code" && v !== null && v !== undefined && !(typeof v === "string" && ERROR_CODE.test(v))) {
    return typeof v === "number" ? v : REDACTED;
  }
  return redact(v, depth + 1);
}

/**
 * Deep copy of `value` for a log line: secret-looking keys (tokens, secrets, passwords, API keys,
 * cookies, PKCE verifiers, OAuth codes) replaced by "[redacted]" at any depth, in arrays and in
 * error causes, and token-shaped text masked inside strings; error codes are kept.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskString(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return errorFields(value, depth);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactEntry(k, v, depth);
  return out;
}

function errorFields(err: Error, depth: number): Record<string, unknown> {
  const e = err as Error & { code?: unknown; cause?: unknown };
  return {
    name: e.name,
    message: maskString(e.message),
    ...(e.code !== undefined ? { code: redactEntry("code", e.code, depth) } : {}),
    ...(e.cause !== undefined ? { cause: redact(e.cause, depth + 1) } : {}),
  };
}

/** Where log lines go; tests swap it to capture output. */
export type LogSink = (line: string) => void;
let sink: LogSink = (line) => console.log(line);

/** Replaces the log sink and returns the previous one (tests capture lines this way). */
export function setLogSink(next: LogSink): LogSink {
  const prev = sink;
  sink = next;
  return prev;
}

/** A JSON-lines logger bound to a service name and a minimum level. */
export class Logger {
  constructor(readonly service: string, readonly level: LogLevel = "info", readonly fields: LogContext = {}) {}

  /** A logger that adds `fields` to every line. */
  child(fields: LogContext): Logger {
    return new Logger(this.service, this.level, { ...this.fields, ...fields });
  }

  debug(msg: string, data?: Record<string, unknown>): void {
    this.#write("debug", msg, data);
  }
  info(msg: string, data?: Record<string, unknown>): void {
    this.#write("info", msg, data);
  }
  warn(msg: string, data?: Record<string, unknown>): void {
    this.#write("warn", msg, data);
  }
  error(msg: string, data?: Record<string, unknown>): void {
    this.#write("error", msg, data);
  }

  #write(level: LogLevel, msg: string, data?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const line = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      msg,
      ...this.fields,
      ...contextStore.getStore(),
      ...(data ? redact(data) as Record<string, unknown> : {}),
    };
    sink(JSON.stringify(line));
  }
}
