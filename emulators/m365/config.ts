/** Graph's Outlook limits per app + mailbox (graph-facts §4.1); all configurable. */
export interface LimitsConfig {
  enabled: boolean;
  /** Concurrent requests per app + mailbox (Graph: 4). */
  concurrency: number;
  /** Requests per window per app + mailbox (Graph: 10,000). */
  requestsPerWindow: number;
  /** Window length in Microsoft milliseconds before time scaling (Graph: 10 minutes). */
  windowMs: number;
}

/**
 * Service time Graph takes per operation, in Microsoft milliseconds before time scaling. No
 * source documents it: 0 (the default) is the best case; a benchmark that should predict a real
 * tenant sets field-typical values (see README, Limits). An operation holds its concurrency slot
 * while it takes this long, so with latency the 4-request cap binds as it does in a tenant.
 */
export interface LatencyConfig {
  /** GET operations. */
  readMs: number;
  /** POST, PATCH, PUT, DELETE operations. */
  writeMs: number;
}

/** Everything tunable about the emulator. */
export interface EmulatorConfig {
  /** Multiplies Microsoft-side durations (windows, Retry-After, code lifetime, latency); 1 = real time. */
  timeScale: number;
  limits: LimitsConfig;
  latency: LatencyConfig;
  /** Authorization code lifetime before scaling (Entra: ~10 min). */
  authCodeLifetimeMs: number;
  /** Access token lifetime in seconds (not scaled: MSAL refreshes 5 min before expiry). */
  accessTokenLifetimeSec: number;
  /** Refresh token inactivity lifetime before scaling (Entra: 90 days). */
  refreshTokenLifetimeMs: number;
  /** Delta token generations kept per sync chain (Outlook keeps about 3). */
  deltaGenerationsKept: number;
  /** Page size of Outlook collections when neither `$top` nor `odata.maxpagesize` is given. */
  defaultPageSize: number;
  /** Largest page Outlook returns. */
  maxPageSize: number;
  /** Delta page size when no `odata.maxpagesize` is given (UNVERIFIED; see README). */
  defaultDeltaPageSize: number;
  subscriptions: {
    /** Max lifetime in minutes for Outlook resources (10,080). */
    maxExpirationMinutes: number;
    /** The notification endpoint must answer the validation POST within this (Graph: 10 s). */
    validationTimeoutMs: number;
    /** Real Graph requires https; the emulator also accepts http on loopback hosts when true. */
    allowHttpLoopback: boolean;
  };
}

/** Graph's real numbers. */
export function defaultConfig(): EmulatorConfig {
  return {
    timeScale: 1,
    limits: { enabled: true, concurrency: 4, requestsPerWindow: 10_000, windowMs: 10 * 60_000 },
    latency: latencyFromEnv() ?? { readMs: 0, writeMs: 0 },
    authCodeLifetimeMs: 10 * 60_000,
    accessTokenLifetimeSec: 3600,
    refreshTokenLifetimeMs: 90 * 24 * 3600_000,
    deltaGenerationsKept: 3,
    defaultPageSize: 10,
    maxPageSize: 1000,
    defaultDeltaPageSize: 100,
    subscriptions: { maxExpirationMinutes: 10_080, validationTimeoutMs: 10_000, allowHttpLoopback: true },
  };
}

/**
 * `M365_LATENCY=readMs,writeMs` (Microsoft milliseconds) sets the default latency of every
 * emulator in the process, in-process ones included, so a benchmark can run against a modelled
 * tenant without code changes; explicit `config.latency` still wins. Malformed values are refused.
 */
function latencyFromEnv(): LatencyConfig | undefined {
  let raw: string | undefined;
  try {
    raw = Deno.env.get("M365_LATENCY");
  } catch {
    return undefined; // no env permission: defaults
  }
  if (!raw) return undefined;
  const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(raw);
  if (!m) throw new Error(`M365_LATENCY must be "readMs,writeMs", got '${raw}'`);
  return { readMs: Number(m[1]), writeMs: Number(m[2]) };
}
