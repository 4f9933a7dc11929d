// Time-zone and business-day arithmetic (PRODUCT.md "Time"). Pure: instants
// come in as arguments; the IANA rules come with the runtime (Intl) and the
// public holidays with the date-holidays data.
//
// A business-day window of N days starts the day after the event's local
// date (in the responding party's zone), counts each Monday–Friday that is
// not a public holiday of their country, and ends at 23:59:59 local time of
// the Nth counted day.

import Holidays from 'date-holidays';
import { assert } from './errors.ts';

/** A civil date, `YYYY-MM-DD`. */
export type LocalDate = string;

const MS_PER_DAY = 24 * 60 * 60 * 1000;
/** Business-day windows longer than this are a bug, not a rule (and bound the loop). */
const MAX_BUSINESS_DAYS = 60;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of `instant` in `timeZone`. */
export function wallClock(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

export function localDate(instant: Date, timeZone: string): LocalDate {
  const w = wallClock(instant, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Milliseconds to add to UTC to get the wall clock of `timeZone` at `instant`. */
function offsetMs(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at which the wall clock of `timeZone` shows `date` `hh:mm:ss`. */
export function zonedInstant(date: LocalDate, hour: number, minute: number, second: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute, second);
  // Two passes settle the offset on either side of a DST change.
  let guess = wall - offsetMs(new Date(wall), timeZone);
  guess = wall - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

const holidayTables = new Map<string, Map<LocalDate, string>>();
/** Public holidays of `country` in `year`, by local date (substitute days included). */
function publicHolidays(country: string, year: number): Map<LocalDate, string> {
  const key = `${country}:${year}`;
  let table = holidayTables.get(key);
  if (!table) {
    table = new Map();
    // A country without holiday data has only weekends off.
    for (const h of new Holidays(country, { languages: ['en'] }).getHolidays(year) ?? []) {
      if (h.type !== 'public') continue;
      // Some holidays last several days (Korean New Year, Russia's New Year Holiday, Eid): every day of the span is off.
      const spanDays = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / MS_PER_DAY));
      for (let i = 0; i < spanDays; i++) table.set(addDays(h.date.slice(0, 10), i), h.name);
    }
    holidayTables.set(key, table);
  }
  return table;
}

export interface SkippedDay {
  date: LocalDate;
  reason: 'weekend' | 'public_holiday';
  name?: string;
}

/** How a business-day deadline was computed; stored beside the deadline. */
export interface BusinessDayBasis {
  rule: 'business_days';
  days: number;
  from: string;
  time_zone: string;
  country: string | null;
  event_local_date: LocalDate;
  counted: LocalDate[];
  skipped: SkippedDay[];
  ends_local: string;
}

export function businessDayDeadline(from: Date, days: number, timeZone: string, country: string | null): { due_at: Date; basis: BusinessDayBasis } {
  assert(Number.isInteger(days) && days >= 1 && days <= MAX_BUSINESS_DAYS, 'business-day window within bounds');
  const start = localDate(from, timeZone);
  const counted: LocalDate[] = [];
  const skipped: SkippedDay[] = [];
  let date = start;
  // Each iteration counts or skips one day; a year of holidays cannot make 60 days last longer than this.
  for (let guard = 0; counted.length < days; guard++) {
    assert(guard < MAX_BUSINESS_DAYS * 3, 'business-day count terminates');
    date = addDays(date, 1);
    const dow = weekday(date);
    if (dow === 0 || dow === 6) {
      skipped.push({ date, reason: 'weekend' });
      continue;
    }
    const year = Number(date.slice(0, 4));
    // A holiday that starts late in December can run into January (Eswatini's Incwala).
    const holiday = country ? (publicHolidays(country, year).get(date) ?? publicHolidays(country, year - 1).get(date)) : undefined;
    if (holiday) {
      skipped.push({ date, reason: 'public_holiday', name: holiday });
      continue;
    }
    counted.push(date);
  }
  const last = counted[counted.length - 1]!;
  return {
    due_at: zonedInstant(last, 23, 59, 59, timeZone),
    basis: { rule: 'business_days', days, from: from.toISOString(), time_zone: timeZone, country, event_local_date: start, counted, skipped, ends_local: `${last}T23:59:59` },
  };
}

/** "Thursday, December 3, 2026, 11:59 PM EST": a deadline as its reader sees it. */
export function formatInZone(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(instant);
}
