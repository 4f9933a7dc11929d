// Money and time as people read them. Money is integer minor units in the
// API; here it becomes text, and typed text becomes minor units again by
// string arithmetic (never through a float). Times are shown in the viewer's
// own time zone (their profile's), with the zone named.

import { MINOR_UNIT_DIGITS, formatMoney, type Currency } from '../../../src/domain/money.ts';

export { formatMoney };

/** "1234.5" in USD → 123450; null when the text is not an amount with at most the currency's digits. */
export function parseMoney(text: string, currency: Currency): number | null {
  const digits = MINOR_UNIT_DIGITS[currency];
  const cleaned = text.trim().replace(/[,\s]/g, '').replace(/^[$€£¥]/, '');
  const pattern = digits === 0 ? /^(\d+)$/ : new RegExp(`^(\\d*)(?:\\.(\\d{0,${digits}}))?$`);
  const match = pattern.exec(cleaned);
  if (!match || cleaned === '' || cleaned === '.') return null;
  const whole = match[1] || '0';
  const fraction = (match[2] ?? '').padEnd(digits, '0');
  const minor = Number(whole + fraction);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** 123450 in USD → "1234.50": the value an amount field starts with. */
export function moneyInputValue(amount: number, currency: Currency): string {
  const digits = MINOR_UNIT_DIGITS[currency];
  if (digits === 0) return String(amount);
  const text = String(amount).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export const currencySymbol = (currency: Currency): string => ({ usd: '$', eur: '€', gbp: '£', jpy: '¥' })[currency];

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function timeFormat(zone: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withSeconds}`;
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: withSeconds ? 'short' : undefined,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      timeZoneName: 'short',
    });
    timeFormats.set(key, format);
  }
  return format;
}

/** "Dec 15, 2026, 4:59 PM EST"; `exact` adds the weekday and seconds (deadlines). */
export function formatTime(iso: string, zone: string, exact = false): string {
  return timeFormat(zone, exact).format(new Date(iso));
}

/** "2 days 4 h 10 min" until `dueMs` from `nowMs`; seconds when under an hour. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'passed';
  const s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`);
  if (hours || days) parts.push(`${hours} h`);
  parts.push(`${minutes} min`);
  if (!days) parts.push(`${seconds} s`);
  return parts.join(' ');
}

/** "in_review" → "In review". */
export const humanize = (code: string): string => {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
