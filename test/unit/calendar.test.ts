// Pure calendar arithmetic (PRODUCT.md "Time"): business-day windows counted in
// the responding party's zone and country, ending 23:59:59 local on the Nth
// counted day; the basis that explains a deadline; deadlines shown in the
// reader's zone. No database, no clock: instants are arguments.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import Holidays from 'date-holidays';
import fc from 'fast-check';
import { addDays, businessDayDeadline, formatInZone, localDate, wallClock, weekday, zonedInstant, type BusinessDayBasis } from '../../src/domain/calendar.ts';

const deadline = (from: string, days: number, timeZone: string, country: string | null) => businessDayDeadline(new Date(from), days, timeZone, country);
const iso = (d: Date) => d.toISOString();

// ---------------------------------------------------------------- weekends

test('5 business days from a Friday skip the weekend and end 23:59:59 UTC on the next Friday', () => {
  const { due_at, basis } = deadline('2026-12-04T10:00:00Z', 5, 'UTC', null);
  assert.equal(iso(due_at), '2026-12-11T23:59:59.000Z');
  assert.deepEqual(basis.counted, ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11']);
  assert.deepEqual(basis.skipped, [
    { date: '2026-12-05', reason: 'weekend' },
    { date: '2026-12-06', reason: 'weekend' },
  ]);
});

test('5 business days from a Wednesday run over the weekend into the next Wednesday', () => {
  const { due_at, basis } = deadline('2026-12-02T09:00:00Z', 5, 'UTC', null);
  assert.equal(iso(due_at), '2026-12-09T23:59:59.000Z');
  assert.deepEqual(basis.counted, ['2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08', '2026-12-09']);
});

test('the event day itself never counts, even at one second past midnight', () => {
  const { basis } = deadline('2026-12-01T00:00:01Z', 1, 'UTC', null);
  assert.equal(basis.event_local_date, '2026-12-01');
  assert.deepEqual(basis.counted, ['2026-12-02']);
});

// ---------------------------------------------------------------- public holidays

test('across US Thanksgiving 2026 a New York client gets one more day, and the basis names the holiday', () => {
  // Tuesday 2026-11-24 10:00 EST.
  const { due_at, basis } = deadline('2026-11-24T15:00:00Z', 5, 'America/New_York', 'US');
  assert.equal(iso(due_at), '2026-12-03T04:59:59.000Z', 'Wednesday 2026-12-02 23:59:59 EST');
  const expected: BusinessDayBasis = {
    rule: 'business_days',
    days: 5,
    from: '2026-11-24T15:00:00.000Z',
    time_zone: 'America/New_York',
    country: 'US',
    event_local_date: '2026-11-24',
    counted: ['2026-11-25', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02'],
    skipped: [
      { date: '2026-11-26', reason: 'public_holiday', name: 'Thanksgiving Day' },
      { date: '2026-11-28', reason: 'weekend' },
      { date: '2026-11-29', reason: 'weekend' },
    ],
    ends_local: '2026-12-02T23:59:59',
  };
  assert.deepEqual(basis, expected);
  // The same client without a country: Thanksgiving is a working day.
  assert.equal(iso(deadline('2026-11-24T15:00:00Z', 5, 'America/New_York', null).due_at), '2026-12-02T04:59:59.000Z');
});

test('an observed (substitute) public holiday is skipped: US Independence Day 2026 falls on Saturday, observed Friday July 3', () => {
  const { due_at, basis } = deadline('2026-06-30T14:00:00Z', 3, 'America/New_York', 'US');
  assert.deepEqual(basis.counted, ['2026-07-01', '2026-07-02', '2026-07-06']);
  assert.deepEqual(basis.skipped[0], { date: '2026-07-03', reason: 'public_holiday', name: 'Independence Day (substitute day)' });
  assert.equal(iso(due_at), '2026-07-07T03:59:59.000Z', 'Monday 2026-07-06 23:59:59 EDT');
});

test('across Christmas 2025 in Germany, December 25 and 26 and the weekend are skipped; Christmas Eve (a bank holiday) counts', () => {
  // Monday 2025-12-22 11:00 CET.
  const { due_at, basis } = deadline('2025-12-22T10:00:00Z', 5, 'Europe/Berlin', 'DE');
  assert.deepEqual(basis.counted, ['2025-12-23', '2025-12-24', '2025-12-29', '2025-12-30', '2025-12-31']);
  assert.deepEqual(basis.skipped, [
    { date: '2025-12-25', reason: 'public_holiday', name: 'Christmas Day' },
    { date: '2025-12-26', reason: 'public_holiday', name: 'Boxing Day' },
    { date: '2025-12-27', reason: 'weekend' },
    { date: '2025-12-28', reason: 'weekend' },
  ]);
  assert.equal(basis.ends_local, '2025-12-31T23:59:59');
  assert.equal(iso(due_at), '2025-12-31T22:59:59.000Z', 'Wednesday 2025-12-31 23:59:59 CET');
});

test('across Christmas 2026 in Germany, a holiday on a Saturday is skipped as a weekend day', () => {
  const { due_at, basis } = deadline('2026-12-22T10:00:00Z', 5, 'Europe/Berlin', 'DE');
  assert.deepEqual(basis.counted, ['2026-12-23', '2026-12-24', '2026-12-28', '2026-12-29', '2026-12-30']);
  assert.deepEqual(basis.skipped, [
    { date: '2026-12-25', reason: 'public_holiday', name: 'Christmas Day' },
    { date: '2026-12-26', reason: 'weekend' },
    { date: '2026-12-27', reason: 'weekend' },
  ]);
  assert.equal(iso(due_at), '2026-12-30T22:59:59.000Z');
});

test('across New Year in Tokyo only January 1 is a public holiday; January 2 (a bank holiday) counts', () => {
  // Monday 2025-12-29 12:00 JST.
  const { due_at, basis } = deadline('2025-12-29T03:00:00Z', 5, 'Asia/Tokyo', 'JP');
  assert.deepEqual(basis.counted, ['2025-12-30', '2025-12-31', '2026-01-02', '2026-01-05', '2026-01-06']);
  assert.deepEqual(basis.skipped, [
    { date: '2026-01-01', reason: 'public_holiday', name: "New Year's Day" },
    { date: '2026-01-03', reason: 'weekend' },
    { date: '2026-01-04', reason: 'weekend' },
  ]);
  assert.equal(iso(due_at), '2026-01-06T14:59:59.000Z', 'Tuesday 2026-01-06 23:59:59 JST');
});

test('every day of a public holiday that lasts several days is skipped (Korean New Year 2026, three days)', () => {
  // Friday 2026-02-13 12:00 KST.
  const { due_at, basis } = deadline('2026-02-13T03:00:00Z', 5, 'Asia/Seoul', 'KR');
  assert.deepEqual(basis.counted, ['2026-02-16', '2026-02-20', '2026-02-23', '2026-02-24', '2026-02-25']);
  assert.deepEqual(
    basis.skipped.filter((s) => s.reason === 'public_holiday'),
    ['2026-02-17', '2026-02-18', '2026-02-19'].map((date) => ({ date, reason: 'public_holiday', name: 'Korean New Year' })),
  );
  assert.equal(iso(due_at), '2026-02-25T14:59:59.000Z');
});

test('a several-day holiday that starts in December is still skipped in January (Eswatini Incwala)', () => {
  const { basis } = deadline('2025-12-24T08:00:00Z', 3, 'Africa/Mbabane', 'SZ');
  assert.deepEqual(basis.counted, ['2026-01-05', '2026-01-06', '2026-01-07']);
  assert.deepEqual(basis.skipped.find((s) => s.date === '2026-01-02'), { date: '2026-01-02', reason: 'public_holiday', name: 'Incwala Festival' });
});

test('UTC without a country skips only weekends: Christmas and New Year count', () => {
  const christmas = deadline('2026-12-23T10:00:00Z', 3, 'UTC', null);
  assert.deepEqual(christmas.basis.counted, ['2026-12-24', '2026-12-25', '2026-12-28']);
  assert.equal(iso(christmas.due_at), '2026-12-28T23:59:59.000Z');
  const newYear = deadline('2026-12-30T10:00:00Z', 3, 'UTC', null);
  assert.deepEqual(newYear.basis.counted, ['2026-12-31', '2027-01-01', '2027-01-04']);
  for (const { basis } of [christmas, newYear]) {
    assert.ok(basis.skipped.every((s) => s.reason === 'weekend' && s.name === undefined));
    assert.equal(basis.country, null);
  }
});

test('a country without holiday data (Antarctica, AQ) skips only weekends', () => {
  const withAq = deadline('2026-12-23T10:00:00Z', 3, 'UTC', 'AQ');
  const without = deadline('2026-12-23T10:00:00Z', 3, 'UTC', null);
  assert.equal(iso(withAq.due_at), iso(without.due_at));
  assert.deepEqual(withAq.basis.counted, without.basis.counted);
  assert.deepEqual(withAq.basis.skipped, [
    { date: '2026-12-26', reason: 'weekend' },
    { date: '2026-12-27', reason: 'weekend' },
  ]);
  assert.equal(withAq.basis.country, 'AQ');
});

// ---------------------------------------------------------------- daylight saving time

test('across the end of summer time in Berlin (2026-10-25) the deadline is 23:59:59 CET, an hour later in UTC than in summer', () => {
  const summer = deadline('2026-10-14T10:00:00Z', 5, 'Europe/Berlin', 'DE');
  assert.equal(iso(summer.due_at), '2026-10-21T21:59:59.000Z', 'Wednesday 2026-10-21 23:59:59 CEST (UTC+2)');
  const across = deadline('2026-10-21T10:00:00Z', 5, 'Europe/Berlin', 'DE');
  assert.deepEqual(across.basis.counted, ['2026-10-22', '2026-10-23', '2026-10-26', '2026-10-27', '2026-10-28']);
  assert.equal(iso(across.due_at), '2026-10-28T22:59:59.000Z', 'Wednesday 2026-10-28 23:59:59 CET (UTC+1)');
  for (const d of [summer, across]) assert.deepEqual(wallClock(d.due_at, 'Europe/Berlin'), { ...wallClockOf(d.basis.ends_local) });
});

test('across the start of summer time in Berlin (2026-03-29) the deadline is 23:59:59 CEST', () => {
  const { due_at, basis } = deadline('2026-03-25T10:00:00Z', 3, 'Europe/Berlin', 'DE');
  assert.deepEqual(basis.counted, ['2026-03-26', '2026-03-27', '2026-03-30']);
  assert.equal(iso(due_at), '2026-03-30T21:59:59.000Z');
});

test('across the end of daylight time in New York (2026-11-01) the deadline is 23:59:59 EST (UTC-5)', () => {
  // Wednesday 2026-10-28 10:00 EDT.
  const { due_at, basis } = deadline('2026-10-28T14:00:00Z', 3, 'America/New_York', 'US');
  assert.deepEqual(basis.counted, ['2026-10-29', '2026-10-30', '2026-11-02']);
  assert.equal(iso(due_at), '2026-11-03T04:59:59.000Z');
  const before = deadline('2026-10-26T14:00:00Z', 3, 'America/New_York', 'US');
  assert.equal(iso(before.due_at), '2026-10-30T03:59:59.000Z', 'Thursday 2026-10-29 23:59:59 EDT (UTC-4)');
});

test('across the start of daylight time in New York (2026-03-08) the deadline is 23:59:59 EDT (UTC-4)', () => {
  // Wednesday 2026-03-04 10:00 EST.
  const { due_at, basis } = deadline('2026-03-04T15:00:00Z', 5, 'America/New_York', 'US');
  assert.deepEqual(basis.counted, ['2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10', '2026-03-11']);
  assert.equal(iso(due_at), '2026-03-12T03:59:59.000Z');
  assert.equal(basis.ends_local, '2026-03-11T23:59:59');
});

// ---------------------------------------------------------------- the zone's date

test('an event that is already Saturday in Tokyo counts from Tokyo’s date, not from UTC’s Friday', () => {
  // 2026-12-04T23:30Z is Friday 23:30 in UTC and Saturday 08:30 in Tokyo.
  const tokyo = deadline('2026-12-04T23:30:00Z', 5, 'Asia/Tokyo', 'JP');
  assert.equal(tokyo.basis.event_local_date, '2026-12-05');
  assert.deepEqual(tokyo.basis.skipped, [{ date: '2026-12-06', reason: 'weekend' }], 'counting starts on Sunday, the day after the local date');
  assert.deepEqual(tokyo.basis.counted, ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11']);
  assert.equal(iso(tokyo.due_at), '2026-12-11T14:59:59.000Z');
  const utc = deadline('2026-12-04T23:30:00Z', 5, 'UTC', null);
  assert.equal(utc.basis.event_local_date, '2026-12-04');
  assert.equal(iso(utc.due_at), '2026-12-11T23:59:59.000Z');
});

test('an event late on Thursday UTC that is Friday in Tokyo ends a day later on the calendar', () => {
  const tokyo = deadline('2026-12-03T23:30:00Z', 5, 'Asia/Tokyo', 'JP');
  const utc = deadline('2026-12-03T23:30:00Z', 5, 'UTC', null);
  assert.equal(tokyo.basis.event_local_date, '2026-12-04');
  assert.deepEqual(tokyo.basis.counted, ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11']);
  assert.equal(utc.basis.event_local_date, '2026-12-03');
  assert.deepEqual(utc.basis.counted, ['2026-12-04', '2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10']);
});

test('an event that is still Friday evening in New York counts from Friday, though it is Saturday in UTC', () => {
  // 2026-12-05T03:00Z is Saturday in UTC and Friday 22:00 EST.
  const ny = deadline('2026-12-05T03:00:00Z', 5, 'America/New_York', 'US');
  assert.equal(ny.basis.event_local_date, '2026-12-04');
  assert.deepEqual(ny.basis.skipped, [
    { date: '2026-12-05', reason: 'weekend' },
    { date: '2026-12-06', reason: 'weekend' },
  ]);
  assert.equal(iso(ny.due_at), '2026-12-12T04:59:59.000Z', 'Friday 2026-12-11 23:59:59 EST');
});

// ---------------------------------------------------------------- invariants

test('window length is bounded: 0 and 61 business days are refused, 60 are counted', () => {
  assert.throws(() => deadline('2026-12-01T09:00:00Z', 0, 'UTC', null), /within bounds/);
  assert.throws(() => deadline('2026-12-01T09:00:00Z', 61, 'UTC', null), /within bounds/);
  assert.throws(() => deadline('2026-12-01T09:00:00Z', 1.5, 'UTC', null), /within bounds/);
  assert.equal(deadline('2026-12-01T09:00:00Z', 60, 'Europe/Moscow', 'RU').basis.counted.length, 60);
});

const ZONES: Array<[string, string | null]> = [
  ['UTC', null],
  ['America/New_York', 'US'],
  ['America/Los_Angeles', 'US'],
  ['Europe/Berlin', 'DE'],
  ['Europe/London', 'GB'],
  ['Asia/Tokyo', 'JP'],
  ['Asia/Kolkata', 'IN'],
  ['Australia/Sydney', 'AU'],
  ['Pacific/Auckland', 'NZ'],
  ['America/Sao_Paulo', 'BR'],
  ['Asia/Seoul', 'KR'],
  ['Europe/Moscow', 'RU'],
];

// An oracle beside calendar.ts's own table: date-holidays' lookup, at noon of the date in the country's zone.
const oracles = new Map<string, Holidays>();
function isPublicHoliday(country: string, date: string): boolean {
  let hd = oracles.get(country);
  if (!hd) oracles.set(country, (hd = new Holidays(country)));
  const found = hd.isHoliday(zonedInstant(date, 12, 0, 0, hd.getTimezones()[0] ?? 'UTC'));
  return Array.isArray(found) && found.some((h) => h.type === 'public');
}

test('for any instant, zone and country the basis explains the deadline day by day', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') }),
      fc.integer({ min: 1, max: 20 }),
      fc.constantFrom(...ZONES),
      (ms, days, [timeZone, country]) => {
        const from = new Date(ms);
        const { due_at, basis } = businessDayDeadline(from, days, timeZone, country);
        assert.equal(basis.event_local_date, localDate(from, timeZone));
        assert.equal(basis.counted.length, days);
        // Counted and skipped days together are every day from the day after the event to the last counted day.
        const all = [...basis.counted, ...basis.skipped.map((s) => s.date)].sort();
        assert.equal(all[0], addDays(basis.event_local_date, 1));
        for (let i = 1; i < all.length; i++) assert.equal(all[i], addDays(all[i - 1]!, 1));
        assert.equal(all.at(-1), basis.counted.at(-1));
        for (const d of basis.counted) {
          assert.ok(weekday(d) !== 0 && weekday(d) !== 6, `${d} is a weekday`);
          if (country) assert.equal(isPublicHoliday(country, d), false, `${d} is no public holiday in ${country}`);
        }
        for (const s of basis.skipped) {
          if (s.reason === 'weekend') assert.ok(weekday(s.date) === 0 || weekday(s.date) === 6);
          else assert.ok(country !== null && typeof s.name === 'string' && s.name.length > 0 && isPublicHoliday(country, s.date), `${s.date} is a public holiday`);
        }
        // The deadline is 23:59:59 on the wall clock of the last counted day, after the event.
        assert.equal(basis.ends_local, `${basis.counted.at(-1)}T23:59:59`);
        assert.deepEqual(wallClock(due_at, timeZone), wallClockOf(basis.ends_local));
        assert.ok(due_at.getTime() > from.getTime());
      },
    ),
    { numRuns: 300 },
  );
});

// ---------------------------------------------------------------- zonedInstant

function wallClockOf(local: string) {
  const [date, time] = local.split('T') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second] = time.split(':').map(Number) as [number, number, number];
  return { year, month, day, hour, minute, second };
}

test('zonedInstant gives the instant a zone’s wall clock shows a time, on either side of DST changes', () => {
  const cases: Array<[date: string, zone: string, utc: string]> = [
    ['2026-03-07', 'America/New_York', '2026-03-08T04:59:59.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-09T03:59:59.000Z'],
    ['2026-10-31', 'America/New_York', '2026-11-01T03:59:59.000Z'],
    ['2026-11-01', 'America/New_York', '2026-11-02T04:59:59.000Z'],
    ['2026-10-24', 'Europe/Berlin', '2026-10-24T21:59:59.000Z'],
    ['2026-10-25', 'Europe/Berlin', '2026-10-25T22:59:59.000Z'],
    ['2026-03-29', 'Europe/Berlin', '2026-03-29T21:59:59.000Z'],
    ['2026-12-31', 'Asia/Tokyo', '2026-12-31T14:59:59.000Z'],
    ['2026-12-31', 'UTC', '2026-12-31T23:59:59.000Z'],
    ['2026-12-31', 'Asia/Kolkata', '2026-12-31T18:29:59.000Z'],
  ];
  for (const [date, zone, utc] of cases) assert.equal(iso(zonedInstant(date, 23, 59, 59, zone)), utc, `${date} 23:59:59 ${zone}`);
});

test('zonedInstant round-trips through the wall clock for every day of 2025–2028 in zones with and without DST', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 4 * 366 }),
      fc.constantFrom(...ZONES.map(([z]) => z)),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      (offsetDays, zone, hour, minute) => {
        const date = addDays('2025-01-01', offsetDays);
        const instant = zonedInstant(date, hour, minute, 59, zone);
        const back = wallClock(instant, zone);
        // Skip the hour a DST change leaves out; it has no instant to round-trip to.
        if (back.hour !== hour) return;
        assert.equal(localDate(instant, zone), date);
        assert.deepEqual(back, { ...wallClockOf(`${date}T00:00:00`), hour, minute, second: 59 });
      },
    ),
    { numRuns: 500 },
  );
});

// ---------------------------------------------------------------- formatInZone

test('formatInZone shows a deadline on the reader’s wall clock with the zone’s name', () => {
  const due = new Date('2026-12-03T04:59:59Z');
  // "at" or a comma between date and time, depending on the ICU version.
  assert.match(formatInZone(due, 'America/New_York'), /^Wednesday, December 2, 2026(,| at) 11:59 PM EST$/);
  assert.match(formatInZone(due, 'America/Los_Angeles'), /^Wednesday, December 2, 2026(,| at) 8:59 PM PST$/);
  assert.match(formatInZone(due, 'UTC'), /^Thursday, December 3, 2026(,| at) 4:59 AM UTC$/);
  assert.match(formatInZone(due, 'Asia/Tokyo'), /^Thursday, December 3, 2026(,| at) 1:59 PM GMT\+9$/);
  assert.match(formatInZone(due, 'Europe/Berlin'), /^Thursday, December 3, 2026(,| at) 5:59 AM GMT\+1$/);
});

test('formatInZone switches between standard and summer time names with the date', () => {
  assert.match(formatInZone(new Date('2026-07-04T03:59:59Z'), 'America/New_York'), /July 3, 2026(,| at) 11:59 PM EDT$/);
  assert.match(formatInZone(new Date('2026-11-03T04:59:59Z'), 'America/New_York'), /November 2, 2026(,| at) 11:59 PM EST$/);
  assert.match(formatInZone(new Date('2026-10-21T21:59:59Z'), 'Europe/Berlin'), /October 21, 2026(,| at) 11:59 PM GMT\+2$/);
  assert.match(formatInZone(new Date('2026-10-28T22:59:59Z'), 'Europe/Berlin'), /October 28, 2026(,| at) 11:59 PM GMT\+1$/);
});

test('a computed deadline reads as 11:59 PM on the last counted day in the responder’s zone', () => {
  const { due_at, basis } = deadline('2026-11-24T15:00:00Z', 5, 'America/New_York', 'US');
  assert.equal(basis.counted.at(-1), '2026-12-02');
  assert.match(formatInZone(due_at, 'America/New_York'), /^Wednesday, December 2, 2026(,| at) 11:59 PM EST$/);
});
