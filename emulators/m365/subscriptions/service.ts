import type { Logger } from "@app/shared/log";
import type { Clock } from "../clock.ts";
import type { EmulatorConfig } from "../config.ts";
import { etagOf, formatDateTimeOffset } from "../graph/odata.ts";
import type { ChangeEntry } from "../state/change_log.ts";
import { newGuid } from "../state/ids.ts";
import type { EmulatorState } from "../state/state.ts";
import type { Timers } from "../timers.ts";
import type { Delivery, Subscription } from "./model.ts";
import type { SubscriptionResource } from "./resources.ts";

/** Lifecycle events Graph sends to `lifecycleNotificationUrl` (graph-facts §5). */
export type LifecycleEvent = "reauthorizationRequired" | "subscriptionRemoved" | "missed";

/** Delays before re-delivering a failed notification, in Microsoft time (scaled). */
const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000];
const MAX_DELIVERIES_KEPT = 2_000;

/**
 * Subscriptions and their notifications. It listens to every mailbox's change log, so any
 * module whose items go through the item store (contacts, events) gets notifications for free
 * once it declares its {@link SubscriptionResource}s.
 */
export class SubscriptionService {
  readonly subscriptions = new Map<string, Subscription>();
  readonly resources: SubscriptionResource[] = [];
  #deliveries: Delivery[] = [];
  #queue = new Map<string, { subs: Set<string>; items: Record<string, unknown>[] }>();
  #flushScheduled = false;
  #held = false;
  #inFlight = new Set<Promise<unknown>>();
  #aborts = new Set<AbortController>();

  constructor(
    private readonly state: EmulatorState,
    private readonly config: () => EmulatorConfig,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly log: Logger,
  ) {
    state.changeListeners.add((entry, userId) => this.#onChange(entry, userId));
  }

  /** Live (unexpired) subscription by id; expired ones are dropped as Graph does. */
  get(id: string): Subscription | undefined {
    const s = this.subscriptions.get(id);
    if (s && s.expiresAt <= this.clock.now()) {
      this.subscriptions.delete(id);
      return undefined;
    }
    return s;
  }

  deliveries(): Delivery[] {
    return this.#deliveries;
  }

  /**
   * POSTs `?validationToken=` to `url` and expects the token echoed as text/plain within the
   * configured time (Graph: 10 s). Returns why it failed, or undefined.
   */
  async validate(url: string): Promise<string | undefined> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${newGuid()}`;
    const target = `${url}${url.includes("?") ? "&" : "?"}validationToken=${encodeURIComponent(token)}`;
    const res = await this.#post(
      target,
      "",
      "text/plain; charset=utf-8",
      this.config().subscriptions.validationTimeoutMs,
    );
    this.#record({ url, kind: "validation", subscriptionIds: [], attempt: 1, status: res.status, body: token });
    if (res.status !== 200) return `endpoint answered ${res.status || "nothing in time"}`;
    if (res.text !== token) return "endpoint did not echo the validation token";
    return undefined;
  }

  /** Sends a lifecycle notification now (admin action); `subscriptionRemoved` also deletes it. */
  async lifecycle(id: string, event: LifecycleEvent): Promise<Delivery | undefined> {
    const s = this.get(id);
    if (!s?.lifecycleNotificationUrl) return undefined;
    if (event === "subscriptionRemoved") this.subscriptions.delete(id);
    const body = {
      value: [{
        subscriptionId: s.id,
        subscriptionExpirationDateTime: formatDateTimeOffset(s.expiresAt),
        tenantId: s.tenantId,
        clientState: s.clientState ?? null,
        lifecycleEvent: event,
      }],
    };
    return await this.#deliver(s.lifecycleNotificationUrl, "lifecycle", [s.id], body, 1);
  }

  /**
   * Holds notifications back until {@link release} (tests: Graph's own latency is seconds to
   * minutes, so a test can deliver a change's notification after whatever raced it).
   */
  hold(): void {
    this.#held = true;
  }

  /** Delivers what was held back, and from now on delivers as it comes. */
  release(): void {
    this.#held = false;
    if (this.#queue.size > 0 && !this.#flushScheduled) {
      this.#flushScheduled = true;
      this.timers.later(0, () => this.#flush());
    }
  }

  /** Waits for every queued and in-flight delivery, held ones aside (tests call this through the admin API). */
  async settle(): Promise<void> {
    while (this.#flushScheduled || this.#inFlight.size) {
      if (this.#flushScheduled) this.#flush();
      await Promise.allSettled([...this.#inFlight]);
    }
  }

  /** Aborts in-flight deliveries and drops the queue (emulator stop). */
  async stop(): Promise<void> {
    for (const a of this.#aborts) a.abort();
    this.#queue.clear();
    this.#flushScheduled = false;
    await Promise.allSettled([...this.#inFlight]);
  }

  reset(): void {
    this.#held = false;
    this.subscriptions.clear();
    this.#deliveries = [];
    this.#queue.clear();
  }

  #onChange(e: ChangeEntry, userId: string): void {
    if (this.subscriptions.size === 0) return;
    const now = this.clock.now();
    for (const s of this.subscriptions.values()) {
      if (s.userId !== userId || s.kind !== e.kind || s.expiresAt <= now) continue;
      const type = changeTypeFor(s.folderId, e);
      if (!type || !s.changeType.split(",").map((x) => x.trim()).includes(type)) continue;
      const item = type === "deleted" ? undefined : this.state.mailboxes.get(userId)?.items.get(e.immutableId);
      const id = s.immutableIds
        ? e.immutableId
        : (type === "deleted" && e.previousId && e.folderId !== s.folderId ? e.previousId : e.id);
      const path = `Users/${userId}/${s.entitySet}/${id}`;
      this.#enqueue(s, {
        id: newGuid(),
        subscriptionId: s.id,
        subscriptionExpirationDateTime: formatDateTimeOffset(s.expiresAt),
        changeType: type,
        resource: path,
        resourceData: {
          "@odata.type": s.odataType,
          "@odata.id": path,
          ...(item ? { "@odata.etag": etagOf(item.changeKey) } : {}),
          id,
        },
        clientState: s.clientState ?? null,
        tenantId: s.tenantId,
      });
    }
  }

  // Notifications raised by one request go out together in one POST per endpoint, like Graph's.
  #enqueue(s: Subscription, n: Record<string, unknown>): void {
    let q = this.#queue.get(s.notificationUrl);
    if (!q) this.#queue.set(s.notificationUrl, q = { subs: new Set(), items: [] });
    q.subs.add(s.id);
    q.items.push(n);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      this.timers.later(0, () => this.#flush());
    }
  }

  #flush(): void {
    this.#flushScheduled = false;
    // Held: the queue stays for release() (a flush scheduled before hold() delivers nothing either).
    if (this.#held) return;
    for (const [url, q] of this.#queue) {
      void this.#deliver(url, "notification", [...q.subs], { value: q.items }, 1);
    }
    this.#queue.clear();
  }

  async #deliver(url: string, kind: Delivery["kind"], ids: string[], body: unknown, attempt: number) {
    // Graph wants an answer within 3 s; slower or 5xx answers are retried later.
    const res = await this.#post(url, JSON.stringify(body), "application/json", 3_000);
    const delivery = this.#record({ url, kind, subscriptionIds: ids, attempt, status: res.status, body });
    const failed = res.status === 0 || res.status >= 500;
    if (failed && attempt <= RETRY_DELAYS_MS.length && kind === "notification") {
      this.timers.later(this.clock.scale(RETRY_DELAYS_MS[attempt - 1]!), () => {
        void this.#deliver(url, kind, ids, body, attempt + 1);
      });
    }
    return delivery;
  }

  #post(url: string, body: string, contentType: string, timeoutMs: number): Promise<{ status: number; text: string }> {
    const abort = new AbortController();
    this.#aborts.add(abort);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const p = (async () => {
      try {
        timer = setTimeout(() => abort.abort(), timeoutMs);
        const res = await fetch(url, {
          method: "POST",
          body,
          headers: { "content-type": contentType },
          signal: abort.signal,
        });
        return { status: res.status, text: await res.text() };
      } catch (err) {
        this.log.debug("notification endpoint unreachable", { url, err });
        return { status: 0, text: "" };
      } finally {
        clearTimeout(timer);
        this.#aborts.delete(abort);
      }
    })();
    this.#inFlight.add(p);
    p.finally(() => this.#inFlight.delete(p));
    return p;
  }

  #record(d: Omit<Delivery, "at">): Delivery {
    const full = { ...d, at: new Date().toISOString() };
    this.#deliveries.push(full);
    if (this.#deliveries.length > MAX_DELIVERIES_KEPT) this.#deliveries.shift();
    return full;
  }
}

/** How a change looks from a subscription on `folderId` (`"*"` = every folder). */
function changeTypeFor(folderId: string, e: ChangeEntry): "created" | "updated" | "deleted" | undefined {
  if (folderId === "*") return e.type;
  const inNow = e.folderId === folderId;
  const leftIt = e.previousFolderId === folderId && !inNow;
  const cameIn = inNow && e.previousFolderId !== undefined && e.previousFolderId !== folderId;
  if (leftIt) return "deleted";
  if (cameIn) return "created";
  return inNow ? e.type : undefined;
}
