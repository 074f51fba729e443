/**
 * Time zones and wall-clock arithmetic (E2, E11): Windows ⇄ IANA names via `windows-iana`, instants
 * ⇄ wall clock with Intl (DST-correct), and date helpers for all-day dates that never shift.
 * @module
 */
import { findIana, findWindows } from "windows-iana";
import { isIanaZone, localDateTimeOf, zonedToEpochMs } from "@app/shared/contract";
import type { LocalDate, LocalDateTime } from "./types.ts";

const UTC_NAMES = new Set(["utc", "etc/utc", "z", "gmt", "tzone://microsoft/utc", "coordinated universal time"]);

/**
 * Small memo for pure conversions: zone look-ups and Intl calls cost 0.1–0.6 ms each, and a run
 * converts the same few zones and times thousands of times. Cleared when it grows, never stale.
 */
function memo<T>(limit: number, compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) {
      if (cache.size >= limit) cache.clear();
      v = compute(key);
      cache.set(key, v);
    }
    return v;
  };
}

const isIana = memo(1_000, isIanaZone);

const ianaOf = memo(1_000, (name): string => {
  if (UTC_NAMES.has(name.toLowerCase())) return "UTC";
  if (name.includes("/") && isIana(name)) return name;
  const found = findIana(name)[0];
  return found && isIana(found) ? found : "";
});

/** The IANA name of a Graph zone name (Windows or IANA); `fallback` when unknown. */
export function ianaZone(name: string | null | undefined, fallback: string): string {
  if (!name) return fallback;
  return ianaOf(name) || fallback;
}

const windowsOf = memo(1_000, (iana) => iana === "UTC" || iana === "Etc/UTC" ? "UTC" : findWindows(iana)[0] ?? iana);

/** The Windows name Graph reads for an IANA zone; the IANA name itself when Windows has none. */
export function windowsZone(iana: string): string {
  return windowsOf(iana);
}

/** The wall clock (`YYYY-MM-DDTHH:mm:ss`) of an instant in an IANA zone. */
export function localOf(epochMs: number, zone: string): LocalDateTime {
  return localMemo(`${epochMs} ${zone}`);
}

const localMemo = memo(50_000, (key) => {
  const at = key.indexOf(" ");
  return localDateTimeOf(Number(key.slice(0, at)), key.slice(at + 1));
});

/** The instant of a wall clock in an IANA zone (skipped times read with the offset before the jump). */
export function epochOf(local: LocalDateTime, zone: string): number {
  return epochMemo(`${local} ${zone}`);
}

const epochMemo = memo(50_000, (key) => {
  const at = key.indexOf(" ");
  return zonedToEpochMs(key.slice(0, at), key.slice(at + 1));
});

/** Normalises `YYYY-MM-DDTHH:mm[:ss[.fffffff]][Z]` to `YYYY-MM-DDTHH:mm:ss`. */
export function normaliseLocal(dateTime: string): LocalDateTime {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(dateTime);
  if (!m) throw new RangeError(`not a date-time: ${dateTime}`);
  return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? "00"}`;
}

/** A Graph `dateTimeTimeZone` read as wall clock in `zone` (IANA). */
export function graphTimeToLocal(t: { dateTime: string; timeZone: string }, zone: string): LocalDateTime {
  const from = ianaZone(t.timeZone, "UTC");
  const local = normaliseLocal(t.dateTime);
  if (from === zone) return local;
  return localOf(epochOf(local, from), zone);
}

/** An instant Graph writes in UTC, with or without its `Z` (`originalStart`), in epoch ms. */
export function utcMs(iso: string): number {
  return Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
}

/** Date part of a local date-time. */
export function dateOf(local: LocalDateTime): LocalDate {
  return local.slice(0, 10);
}

/** A date plus `days` (calendar arithmetic, no zone). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [y = 0, m = 1, d = 1] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Minutes between two wall clocks read as UTC (the series' local duration). */
export function localMinutes(from: LocalDateTime, to: LocalDateTime): number {
  return (Date.parse(`${to}Z`) - Date.parse(`${from}Z`)) / 60_000;
}

/** A wall clock plus minutes, as wall clock (no zone: used for local durations). */
export function addLocalMinutes(local: LocalDateTime, minutes: number): LocalDateTime {
  return new Date(Date.parse(`${local}Z`) + minutes * 60_000).toISOString().slice(0, 19);
}

/**
 * The sync window (E3): [00:00 of today − includePastDays in the user's zone, now + horizonDays].
 * Leaving it is never a delete.
 */
export function syncWindow(
  nowIso: string,
  includePastDays: number,
  horizonDays: number,
  zone: string,
): { start: string; end: string } {
  const now = Date.parse(nowIso);
  const today = dateOf(localOf(now, zone));
  const start = epochOf(`${addDays(today, -includePastDays)}T00:00:00`, zone);
  return { start: new Date(start).toISOString(), end: new Date(now + horizonDays * 86_400_000).toISOString() };
}
