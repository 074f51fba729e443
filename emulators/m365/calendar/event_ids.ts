// Ids that belong to events beyond the store's own: occurrence ids, Outlook's `occurrenceId`
// strings in `cancelledOccurrences`, and iCalUIds in Exchange's Global Object Id layout.
import { decodeBase64Url, encodeBase64Url } from "@app/shared/encoding";

const OCCURRENCE_PREFIX = { regular: "AAMkO", immutable: "AAkAO" } as const;

/**
 * The id of one occurrence (or exception) of a series: opaque, URL-safe, derived from the master
 * id (regular or immutable, as the request asked) and the occurrence's original start, so it
 * stays the same when the occurrence is modified.
 */
export function occurrenceId(masterId: string, originalStart: Temporal.Instant): string {
  const prefix = masterId.startsWith("AAkAL") ? OCCURRENCE_PREFIX.immutable : OCCURRENCE_PREFIX.regular;
  const payload = new TextEncoder().encode(`${masterId}#${originalStart.epochMilliseconds / 1000}`);
  return `${prefix}${encodeBase64Url(payload)}=`;
}

/** Splits an occurrence id into master id and original start; `undefined` for other ids. */
export function parseOccurrenceId(id: string): { masterId: string; originalStart: Temporal.Instant } | undefined {
  if (!id.startsWith(OCCURRENCE_PREFIX.regular) && !id.startsWith(OCCURRENCE_PREFIX.immutable)) return undefined;
  try {
    const text = new TextDecoder().decode(decodeBase64Url(id.slice(5).replace(/=+$/, "")));
    const m = /^(.+)#(-?\d+)$/.exec(text);
    if (!m) return undefined;
    return { masterId: m[1]!, originalStart: Temporal.Instant.fromEpochMilliseconds(Number(m[2]) * 1000) };
  } catch {
    return undefined;
  }
}

/** Outlook's `occurrenceId` form used in `cancelledOccurrences`: `OID.{masterId}.{yyyy-MM-dd}`. */
export function outlookOccurrenceId(masterId: string, originalDate: Temporal.PlainDate): string {
  return `OID.${masterId}.${originalDate.toString()}`;
}

// Exchange Global Object Id: class id, 4 instance-date bytes (zero for a master), creation time
// (FILETIME, little endian), 8 reserved bytes, data size (16, little endian), 16 random bytes.
const CLASS_ID = "040000008200E00074C5B7101A82E008";

/** A new series/single-instance iCalUId, as in the docs' example responses. */
export function newICalUId(createdAtMs: number): string {
  const filetime = (BigInt(createdAtMs) + 11_644_473_600_000n) * 10_000n;
  let le = "";
  for (let i = 0n; i < 8n; i++) le += ((filetime >> (8n * i)) & 0xffn).toString(16).padStart(2, "0");
  const random = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${CLASS_ID}00000000${le}000000000000000010000000${random}`.toUpperCase();
}

/** The iCalUId of one occurrence: the series' id with the instance date filled in. */
export function occurrenceICalUId(seriesICalUId: string, date: Temporal.PlainDate): string {
  const bytes = date.year.toString(16).padStart(4, "0") + date.month.toString(16).padStart(2, "0") +
    date.day.toString(16).padStart(2, "0");
  return `${seriesICalUId.slice(0, 32)}${bytes.toUpperCase()}${seriesICalUId.slice(40)}`;
}
