/**
 * Time zones and wall-clock arithmetic (E2, E11): Windows ⇄ IANA names via `windows-iana`, instants
 * ⇄ wall clock with Intl (DST-correct), and date helpers for all-day dates that never shift.
 * @module
 */
import { findIana, findWindows } from "windows-iana";
import { zonedToEpochMs } from "@app/shared/contract";
import type { LocalDate, LocalDateTime } from "./types.ts";

const UTC_NAMES = new Set(["utc", "etc/utc", "z", "gmt", "tzone://microsoft/utc", "coordinated universal time"]);

function isIana(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The IANA name of a Graph zone name (Windows or IANA); `fallback` when unknown. */
export function ianaZone(name: string | null | undefined, fallback: string): string {
  if (!name) return fallback;
  if (UTC_NAMES.has(name.toLowerCase())) return "UTC";
  if (name.includes("/") && isIana(name)) return name;
  const found = findIana(name)[0];
  return found && isIana(found) ? found : fallback;
}

/** The Windows name Graph reads for an IANA zone; the IANA name itself when Windows has none. */
export function windowsZone(iana: string): string {
  if (iana === "UTC" || iana === "Etc/UTC") return "UTC";
  return findWindows(iana)[0] ?? iana;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** The wall clock (`YYYY-MM-DDTHH:mm:ss`) of an instant in an IANA zone. */
export function localOf(epochMs: number, zone: string): LocalDateTime {
  const parts = formatter(zone).formatToParts(new Date(epochMs));
  const get = (t: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return `${pad(get("year"), 4)}-${pad(get("month"))}-${pad(get("day"))}T${pad(get("hour") % 24)}:${
    pad(get("minute"))
  }:${pad(get("second"))}`;
}

/** The instant of a wall clock in an IANA zone (skipped times read with the offset before the jump). */
export function epochOf(local: LocalDateTime, zone: string): number {
  return zonedToEpochMs(local, zone);
}

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
