/**
 * The TIME of `--before TIME`: a moment a person names quickly after a mistake ("2h", "18:00",
 * "yesterday 18:00") or exactly (an ISO time). Pure: `now` is given, local time is the reader's.
 */

/** The accepted forms, for the one line a bad TIME gets. */
export const acceptedTimeForms =
  'a duration back from now ("90s", "90m", "2h", "3d", "1w", "1h30m", "2h ago"), a clock time ("18:00": today, or yesterday when that is still to come), "yesterday 18:00", "today 9:30", or an ISO time ("2026-11-24", "2026-11-24T18:00", "2026-11-24 18:00:05Z")';

const unitSeconds: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
};

const durationPattern = /^((?:\d+\s*(?:sec|min|s|m|h|d|w)\s*)+)(?:ago)?$/;
const durationPart = /(\d+)\s*(sec|min|s|m|h|d|w)/g;
const clockPattern = /^(?:(today|yesterday)\s+)?(\d{1,2}):(\d\d)(?::(\d\d))?$/;
const isoPattern =
  /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,3}))?)?(Z|[+-]\d\d:?\d\d)?)?$/;

/** The moment TIME names, or undefined when it is none of the accepted forms. */
export function parseTimeExpression(text: string, now: Date): Date | undefined {
  const expression = text.trim().toLowerCase();
  const duration = expression.match(durationPattern);
  if (duration) {
    let seconds = 0;
    for (const [, count, unit] of duration[1]!.matchAll(durationPart))
      seconds += Number(count) * unitSeconds[unit!]!;
    return new Date(now.getTime() - seconds * 1000);
  }
  const clock = expression.match(clockPattern);
  if (clock) {
    const [, day, hours, minutes, seconds] = clock;
    if (!validClock(Number(hours), Number(minutes), Number(seconds ?? 0))) return undefined;
    const time = new Date(now);
    time.setHours(Number(hours), Number(minutes), Number(seconds ?? 0), 0);
    // A bare clock time means its last occurrence: at 09:00, "18:00" is yesterday evening.
    if (day === 'yesterday' || (day === undefined && time.getTime() > now.getTime())) {
      time.setDate(time.getDate() - 1);
      time.setHours(Number(hours), Number(minutes), Number(seconds ?? 0), 0);
    }
    return time;
  }
  const iso = text.trim().match(isoPattern);
  if (iso) return parseIsoTime(iso);
  return undefined;
}

function validClock(hours: number, minutes: number, seconds: number): boolean {
  return hours <= 23 && minutes <= 59 && seconds <= 59;
}

/**
 * An ISO time without a zone is local, with or without a clock (`Date.parse` reads a lone date
 * as UTC midnight, which is not the midnight the user means). An impossible date is refused.
 */
function parseIsoTime(match: RegExpMatchArray): Date | undefined {
  const [, year, month, day, hours = '0', minutes = '0', seconds = '0', fraction = '0', zone] = match;
  const parts = [year, month, day, hours, minutes, seconds].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = parts;
  if (mo < 1 || mo > 12 || d < 1 || !validClock(h, mi, s)) return undefined;
  const milliseconds = Number(fraction.padEnd(3, '0'));
  let time: Date;
  if (zone === undefined) {
    time = new Date(y, mo - 1, d, h, mi, s, milliseconds);
  } else {
    const offset =
      zone.toUpperCase() === 'Z'
        ? 0
        : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    time = new Date(Date.UTC(y, mo - 1, d, h, mi, s, milliseconds) - offset * 60_000);
  }
  // 2026-02-30 rolls over to March: that is no date the user meant.
  const check = zone === undefined ? time : new Date(Date.UTC(y, mo - 1, d));
  const dayOf = zone === undefined ? check.getDate() : check.getUTCDate();
  return dayOf === d ? time : undefined;
}
