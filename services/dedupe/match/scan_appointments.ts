import { type Appointment, type CrmGroup, instantOf } from "@app/shared/contract";
import { jaroWinkler, normalizeName } from "@app/shared/normalize";

/** One reason of an appointment pair (D1): "same user: markus", "subject similar 0.91". */
export interface AppointmentReason {
  field: "users" | "time" | "subject" | "contacts" | "location";
  level: string;
  /** Weight of evidence in bits. */
  weight: number;
  text: string;
}

/** A proposed group of duplicate appointments. */
export interface AppointmentGroupProposal {
  recordIds: string[];
  fingerprints: Record<string, string>;
  score: number;
  pairs: Array<{ a: string; b: string; probability: number; reasons: AppointmentReason[] }>;
}

/** Options of {@link scanAppointments}. */
export interface AppointmentScanOptions {
  groups: readonly CrmGroup[];
  /** Pairs at least this likely are proposed (default 0.9). */
  threshold?: number;
}

const DAY_MS = 86_400_000;
// Fixed weights in bits (not fitted: a tenant has too few appointment duplicates to learn from),
// and the prior odds of two overlapping appointments of one user being one: about 1 in 30.
const PRIOR_BITS = -5;
const W = {
  sameTime: 5,
  overlap: 2,
  subjectEqual: 5,
  subjectSimilar: 3,
  subjectDiffers: -6,
  contactsEqual: 3,
  contactsShared: 1.5,
  contactsDiffer: -3,
  locationEqual: 1.5,
};

interface Prepared {
  a: Appointment;
  users: Set<string>;
  start: number;
  end: number;
  subject: string;
  contacts: Set<string>;
  location: string;
}

/**
 * Finds duplicate appointments (D1): the same user takes part in both, their times overlap as
 * instants (so 14:00 Europe/Berlin and 13:00 Europe/London are one time, across DST too), subjects
 * are equal or similar and linked contacts agree. Blocking is by user and day; cancelled ones are
 * left out. Each proposed pair carries its reasons.
 */
export function scanAppointments(
  appointments: readonly Appointment[],
  o: AppointmentScanOptions,
): AppointmentGroupProposal[] {
  const threshold = o.threshold ?? 0.9;
  const members = new Map(o.groups.map((g) => [g.id, g.memberIds]));
  const prepared: Prepared[] = appointments.filter((a) => !a.cancelled).map((a) => ({
    a,
    users: new Set([a.organizerId, ...a.participantIds, ...a.groupIds.flatMap((g) => members.get(g) ?? [])]),
    start: instantOf(a.start),
    end: Math.max(instantOf(a.end), instantOf(a.start) + 1),
    subject: normalizeName(a.subject).replace(/[^\p{L}\p{N} ]+/gu, " ").replace(/\s+/g, " ").trim(),
    contacts: new Set(a.contacts.map((c) => c.contactId)),
    location: normalizeName(a.location),
  }));
  const blocks = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    const firstDay = Math.floor(p.start / DAY_MS);
    const lastDay = Math.min(firstDay + 14, Math.floor((p.end - 1) / DAY_MS));
    for (const u of p.users) {
      for (let d = firstDay; d <= lastDay; d++) {
        const k = `${u}:${d}`;
        const b = blocks.get(k);
        if (b) b.push(i);
        else blocks.set(k, [i]);
      }
    }
  });
  const seen = new Set<string>();
  const strong: Array<{ i: number; j: number; p: number; reasons: AppointmentReason[] }> = [];
  for (const b of blocks.values()) {
    for (let x = 0; x < b.length; x++) {
      for (let y = x + 1; y < b.length; y++) {
        const [i, j] = b[x]! < b[y]! ? [b[x]!, b[y]!] : [b[y]!, b[x]!];
        const key = `${i}:${j}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const scored = scorePair(prepared[i]!, prepared[j]!);
        if (scored && scored.p >= threshold) strong.push({ i, j, ...scored });
      }
    }
  }
  return groupStrong(prepared, strong);
}

function scorePair(x: Prepared, y: Prepared): { p: number; reasons: AppointmentReason[] } | undefined {
  const shared = [...x.users].filter((u) => y.users.has(u));
  if (shared.length === 0 || x.start >= y.end || y.start >= x.end) return undefined;
  const reasons: AppointmentReason[] = [{
    field: "users",
    level: "shared",
    weight: 0,
    text: `same user${shared.length > 1 ? "s" : ""}: ${shared.sort().join(", ")}`,
  }];
  const sameTime = x.start === y.start && x.end === y.end;
  const zones = x.a.start.timeZone === y.a.start.timeZone ? "" : ` (${x.a.start.timeZone} / ${y.a.start.timeZone})`;
  reasons.push(
    sameTime
      ? { field: "time", level: "same", weight: W.sameTime, text: `same start and end${zones}` }
      : { field: "time", level: "overlap", weight: W.overlap, text: `times overlap${zones}` },
  );
  const sim = x.subject === y.subject ? 1 : jaroWinkler(x.subject, y.subject);
  reasons.push(
    sim === 1
      ? { field: "subject", level: "exact", weight: W.subjectEqual, text: "subject equal" }
      : sim >= 0.85
      ? { field: "subject", level: "similar", weight: W.subjectSimilar, text: `subject similar ${sim.toFixed(2)}` }
      : { field: "subject", level: "differs", weight: W.subjectDiffers, text: "subject differs" },
  );
  const inBoth = [...x.contacts].filter((c) => y.contacts.has(c)).length;
  if (x.contacts.size === 0 && y.contacts.size === 0) {
    reasons.push({ field: "contacts", level: "missing", weight: 0, text: "no linked contacts" });
  } else if (inBoth === x.contacts.size && inBoth === y.contacts.size) {
    reasons.push({ field: "contacts", level: "exact", weight: W.contactsEqual, text: "same contacts" });
  } else if (inBoth > 0) {
    reasons.push({
      field: "contacts",
      level: "shared",
      weight: W.contactsShared,
      text: `${inBoth} contact(s) in common`,
    });
  } else {
    reasons.push({ field: "contacts", level: "differs", weight: W.contactsDiffer, text: "contacts differ" });
  }
  if (x.location !== "" && x.location === y.location) {
    reasons.push({ field: "location", level: "exact", weight: W.locationEqual, text: "location equal" });
  }
  const bits = PRIOR_BITS + reasons.reduce((s, r) => s + r.weight, 0);
  return { p: Math.round((1 / (1 + 2 ** -bits)) * 10_000) / 10_000, reasons };
}

// Appointments group only when every pair in the group is a proposed pair: a meeting that overlaps
// two others is never the bridge that makes them one.
function groupStrong(
  prepared: Prepared[],
  strong: Array<{ i: number; j: number; p: number; reasons: AppointmentReason[] }>,
): AppointmentGroupProposal[] {
  const pairOf = new Map(strong.map((s) => [`${s.i}:${s.j}`, s]));
  const cluster = new Map<number, number[]>();
  for (const e of strong.sort((a, b) => b.p - a.p || a.i - b.i)) {
    const ci = cluster.get(e.i) ?? [e.i], cj = cluster.get(e.j) ?? [e.j];
    if (ci === cj) continue;
    const all = ci.every((a) => cj.every((b) => pairOf.has(a < b ? `${a}:${b}` : `${b}:${a}`)));
    if (!all) continue;
    const joined = [...ci, ...cj].sort((a, b) => a - b);
    for (const r of joined) cluster.set(r, joined);
  }
  return [...new Set(cluster.values())].map((g) => {
    const pairs = [];
    for (let x = 0; x < g.length; x++) {
      for (let y = x + 1; y < g.length; y++) {
        const s = pairOf.get(`${g[x]}:${g[y]}`)!;
        pairs.push({ a: prepared[s.i]!.a.id, b: prepared[s.j]!.a.id, probability: s.p, reasons: s.reasons });
      }
    }
    return {
      recordIds: g.map((i) => prepared[i]!.a.id),
      fingerprints: Object.fromEntries(g.map((i) => [prepared[i]!.a.id, String(prepared[i]!.a.version)])),
      score: Math.min(...pairs.map((p) => p.probability)),
      pairs,
    };
  });
}
