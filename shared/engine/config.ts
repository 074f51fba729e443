import { z } from "zod";

const ms = (min: number) => z.coerce.number().int().min(min);

/**
 * The engine's settings, read once from the environment with the service's own (a sync service's
 * `config.ts` extends its schema with these fields). Defaults are production values.
 */
export const EngineConfigFields = {
  /** Public base URL of this service; when set, Graph change notifications are subscribed (P3). */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Discovery poll: every syncable user gets a run this often (the safety net behind notifications). */
  POLL_INTERVAL_MS: ms(1_000).default(5 * 60_000),
  /** Poll of users active lately when no change notification can be had (P8: seconds to a minute). */
  POLL_ACTIVE_MS: ms(250).default(15_000),
  /** A user counts as active this long after a run saw a change. */
  POLL_ACTIVE_WINDOW_MS: ms(1_000).default(15 * 60_000),
  /** Reconciliation of each user: complete listings compared with every link (P9). */
  RECONCILE_INTERVAL_MS: ms(60_000).default(24 * 60 * 60_000),
  /** Users this replica runs at once (different users; one user never twice). */
  RUN_SLOTS: z.coerce.number().int().min(1).max(256).default(8),
  /** CRM events one replica handles at once (each records a change and asks for a run; they commute). */
  CRM_EVENT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** A trigger waits this long before its run may start, so a burst makes one run. */
  RUN_COALESCE_MS: ms(0).default(100),
  /** A run's lease; a replica that dies loses its users after this long. */
  RUN_LEASE_MS: ms(1_000).default(15_000),
  /** A run starts no new write batch after this long; a long first sync continues in chunks (P8). */
  RUN_CHUNK_MS: ms(1_000).default(30_000),
  /**
   * A long run's next chunk goes on with the plan of a chunk planned less than this long ago instead
   * of reading both sides again, when nothing but the chunking asked for it (P8); 0: always read again.
   */
  RUN_CONTINUE_MS: ms(0).default(10 * 60_000),
  /** Period of the scheduler's sweep (lost wake-ups, due polls, interrupted runs). */
  SCHEDULER_SWEEP_MS: ms(100).default(2_000),
  /** Graph requests in flight per mailbox across every service and replica (Graph: 4). */
  GRAPH_MAX_CONCURRENT: z.coerce.number().int().min(1).max(4).default(4),
  /** Graph requests per mailbox per window (Graph: 10,000 per 10 minutes). */
  GRAPH_WINDOW_REQUESTS: z.coerce.number().int().min(1).default(10_000),
  GRAPH_WINDOW_MS: ms(1_000).default(10 * 60_000),
  /** A Graph lease whose holder died comes back after this long. */
  GRAPH_LEASE_MS: ms(1_000).default(15_000),
  /** P6: share of a user's linked items one run may delete or archive before it pauses. */
  SAFETY_MAX_SHARE: z.coerce.number().min(0).max(1).default(0.25),
  /** P6: below this many deletes and archives a run never pauses. */
  SAFETY_MIN_COUNT: z.coerce.number().int().min(0).default(10),
};

/** The engine's part of a sync service's parsed config. */
export type EngineConfig = z.output<z.ZodObject<typeof EngineConfigFields>>;
