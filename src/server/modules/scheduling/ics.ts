import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export interface IcsEvent {
  /** Stable across updates, so a calendar replaces the event rather than adding one. */
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  cancelled?: boolean;
  sequence?: number;
  lastModified?: Date;
}

/**
 * An iCalendar (RFC 5545) document. Times are written in UTC (`DTSTART:…Z`), which every
 * calendar client imports correctly and shows in its own zone. Callers put no clinical
 * detail in summary or description: calendars leave the clinic's control.
 */
export function buildIcs(options: { name: string; method?: 'request' | 'publish' | 'cancel'; events: IcsEvent[]; now: Date }): string {
  const method =
    options.method === 'request' ? ICalCalendarMethod.REQUEST : options.method === 'cancel' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH;
  const cal = ical({ name: options.name, prodId: { company: 'Threshold', product: 'Threshold', language: 'EN' }, method });
  for (const e of options.events) {
    cal.createEvent({
      id: e.uid,
      start: e.start,
      end: e.end,
      stamp: options.now,
      summary: e.summary,
      ...(e.description ? { description: e.description } : {}),
      ...(e.location ? { location: e.location } : {}),
      ...(e.url ? { url: e.url } : {}),
      ...(e.lastModified ? { lastModified: e.lastModified } : {}),
      sequence: e.sequence ?? 0,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}
