// deno-lint-ignore-file no-explicit-any -- Graph JSON of instances, asserted field by field
// Reading series back from both sides in the series' own zone, for the E8 scenarios.
import type { CalendarWorld } from "./world.ts";

const BERLIN_WINDOWS = "W. Europe Standard Time";

/** The series master(s) in an agent's calendar with this subject. */
export async function masters(w: CalendarWorld, userId: string, subject: string): Promise<any[]> {
  return (await w.outlook(userId)).filter((e) => e.type === "seriesMaster" && e.subject === subject);
}

/**
 * A series' instances (occurrences and exceptions; cancelled ones are absent) between two dates,
 * rendered in `zone`, as `{ date, time, subject }` in start order.
 */
export async function instances(
  w: CalendarWorld,
  userId: string,
  masterId: string,
  from: string,
  to: string,
  zone = BERLIN_WINDOWS,
): Promise<{ date: string; time: string; subject: string; id: string; type: string }[]> {
  const q = new URLSearchParams({ startDateTime: `${from}T00:00:00`, endDateTime: `${to}T00:00:00`, $top: "500" });
  const res = await w.outlookClient(userId).api(`/me/events/${masterId}/instances?${q}`)
    .header("Prefer", `outlook.timezone="${zone}"`).get();
  return (res.value as any[]).map((i) => ({
    date: String(i.start.dateTime).slice(0, 10),
    time: String(i.start.dateTime).slice(11, 16),
    subject: String(i.subject),
    id: String(i.id),
    type: String(i.type),
  })).sort((a, b) => `${a.date}${a.time}`.localeCompare(`${b.date}${b.time}`));
}
