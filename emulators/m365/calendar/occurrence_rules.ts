// Outlook's rule for moving one occurrence (event-update.md): it may not land on or before the
// day of the previous occurrence, nor on or after the day of the next one.
import { CalendarError } from "./errors.ts";
import type { EventCore } from "./event_model.ts";
import { type EventItem, seriesOf } from "./instances.ts";
import { neighbours, type Occurrence, recurrenceZone } from "./recurrence.ts";

/** @throws CalendarError 400 ErrorOccurrenceCrossingBoundary when the move crosses a neighbour. */
export function checkOccurrenceMove(item: EventItem, originalStartMs: number, after: EventCore): void {
  const series = seriesOf(item.props);
  const zone = recurrenceZone(series).iana;
  const { previous, next } = neighbours(series, Temporal.Instant.fromEpochMilliseconds(originalStartMs));
  // A neighbour that was itself moved counts where it is now. UNVERIFIED: whether Outlook
  // compares with the neighbour's current or original day; cancelled ones still count.
  const current = (o: Occurrence) =>
    item.props.exceptions[String(o.originalStart.epochMilliseconds)]?.overrides.startMs ?? o.start.epochMilliseconds;
  const day = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDate();
  const moved = day(after.startMs);
  const crossesPrevious = previous && Temporal.PlainDate.compare(moved, day(current(previous))) <= 0;
  const crossesNext = next && Temporal.PlainDate.compare(moved, day(current(next))) >= 0;
  if (crossesPrevious || crossesNext) {
    throw new CalendarError(
      400,
      "ErrorOccurrenceCrossingBoundary",
      "Modified occurrence is crossing or overlapping adjacent occurrence.",
    );
  }
}
