import { asc, eq, sql } from "drizzle-orm";
import { type AuthEvent, AuthEventSchema, makeEnvelope } from "@app/shared/contract";
import type { Logger } from "@app/shared/log";
import type { NatsCatalog } from "@app/shared/nats";
import { outbox } from "../db/schema.ts";
import type { Db, Tx } from "./db.ts";

type EventOf<T extends AuthEvent["type"]> = Extract<AuthEvent, { type: T }>;

/**
 * Records an auth event in the transaction of the change it reports; the relay publishes it once
 * the transaction has committed. A rolled-back change leaves no event behind.
 */
export async function enqueueEvent<T extends AuthEvent["type"]>(
  tx: Tx | Db,
  type: T,
  tenantId: string,
  data: EventOf<T>["data"],
): Promise<void> {
  const envelope = AuthEventSchema.parse(makeEnvelope(type, 1, tenantId, data));
  await tx.insert(outbox).values({ eventId: envelope.id, type, envelope });
}

/** The subject of each auth event type, from the catalogue. */
export function authEventSubjects(catalog: NatsCatalog): Record<AuthEvent["type"], string> {
  const s = catalog.subjects.auth;
  return {
    "auth.account.linked": s.accountLinked,
    "auth.account.unlinked": s.accountUnlinked,
    "auth.account.needs_reconnect": s.accountNeedsReconnect,
    "auth.settings.changed": s.settingsChanged,
    "auth.right.changed": s.rightChanged,
    "auth.tenant.switched": s.tenantSwitched,
  };
}

/** Options for {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  db: Db;
  /** Publishes one envelope to JetStream and resolves once the stream acknowledged it. */
  publish: (subject: string, envelope: { id: string; type: string }) => Promise<unknown>;
  subjects: Record<AuthEvent["type"], string>;
  logger: Logger;
  /** How often to look for rows a failed or missed drain left behind. */
  intervalMs?: number;
  batch?: number;
}

/**
 * Publishes outbox rows in commit order, then deletes them. One replica drains at a time (an
 * advisory lock), so order holds across replicas; a failed publish stops the batch and the row is
 * retried on the next tick. Publishing uses the event id as `Nats-Msg-Id`, so a row published
 * twice (crash between publish and delete) is dropped by JetStream's duplicate window.
 */
export class OutboxRelay {
  #timer?: ReturnType<typeof setInterval>;
  #running?: Promise<number>;
  #again = false;
  #stopped = false;

  constructor(private readonly o: OutboxRelayOptions) {}

  start(): void {
    this.#timer = setInterval(() => this.kick(), this.o.intervalMs ?? 1_000);
    this.kick();
  }

  /** Drains soon (after a commit that wrote events); never throws. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.drainOnce()
      .catch((err) => {
        this.o.logger.warn("outbox drain failed; retrying", { error: err });
        return 0;
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** Stops the timer and waits for the drain in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#again = false;
    await this.#running;
  }

  /** Publishes what is waiting (one batch); returns how many events were published. */
  drainOnce(): Promise<number> {
    return this.o.db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ ok: boolean }>(
        sql`select pg_try_advisory_xact_lock(hashtext('auth-outbox')) as ok`,
      );
      if (!lock?.ok) return 0;
      const rows = await tx.select().from(outbox).orderBy(asc(outbox.seq)).limit(this.o.batch ?? 100);
      let published = 0;
      for (const row of rows) {
        const subject = this.o.subjects[row.type as AuthEvent["type"]];
        try {
          await this.o.publish(subject, row.envelope as AuthEvent);
        } catch (err) {
          // Later events wait behind this one: consumers see each user's changes in order.
          this.o.logger.warn("publishing an auth event failed; it stays in the outbox", {
            eventId: row.eventId,
            type: row.type,
            error: err,
          });
          await tx.update(outbox).set({ attempts: row.attempts + 1, lastError: errorText(err) })
            .where(eq(outbox.seq, row.seq));
          return published;
        }
        await tx.delete(outbox).where(eq(outbox.seq, row.seq));
        published++;
      }
      if (rows.length === (this.o.batch ?? 100)) this.#again = true;
      return published;
    });
  }
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}
