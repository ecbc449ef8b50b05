import { invalid, tufError } from "./fail.js";

/*
 * Strict RFC 3339 as Go's time.RFC3339Nano parser reads it: a full date,
 * `T`, a full time, optional fraction of 1-9 digits, then `Z` or an offset.
 * Date.parse is lenient (it accepts other layouts), so it is not used.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  // Leap years repeat every 400 years; this keeps Date.UTC away from the
  // two-digit-year mapping it applies to years 0-99.
  return new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
}

/** Parses an `expires` value; fractions below a millisecond are dropped. */
export function parseExpires(value: string, role: string): Date {
  const match = RFC3339.exec(value);
  if (match === null)
    invalid(role, `expires ${JSON.stringify(value)} is not RFC 3339`);
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map(Number) as [number, number, number, number, number, number];
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMinutes > 59
  ) {
    invalid(
      role,
      `expires ${JSON.stringify(value)} is not a valid date and time`,
    );
  }
  const millis = Number((match[7] ?? "").padEnd(3, "0").slice(0, 3));
  const sign = match[8] === "-" ? -1 : 1;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return new Date(
    date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000,
  );
}

/**
 * Throws EXPIRED when `expires` is before `now`. An expired role would let
 * an attacker who withholds updates freeze a client on old trust data.
 */
export function checkNotExpired(role: string, expires: Date, now: Date): void {
  if (expires.getTime() < now.getTime()) {
    throw tufError(
      "EXPIRED",
      `${role} metadata expired at ${expires.toISOString()}; the repository owner or trust server must re-sign it`,
      { role, expires: expires.toISOString(), now: now.toISOString() },
    );
  }
}
