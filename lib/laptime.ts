/** Lap and gap times as people read them. */

/** 102123 → "1:42.123"; 59999 → "59.999"; 3723004 → "1:02:03.004". */
export function formatLap(ms: number): string {
  const neg = ms < 0;
  let rest = Math.abs(Math.round(ms));
  const millis = rest % 1000;
  rest = Math.floor(rest / 1000);
  const secs = rest % 60;
  rest = Math.floor(rest / 60);
  const mins = rest % 60;
  const hours = Math.floor(rest / 60);
  const frac = `${String(secs).padStart(hours > 0 || mins > 0 ? 2 : 1, "0")}.${
    String(millis).padStart(3, "0")
  }`;
  const body = hours > 0
    ? `${hours}:${String(mins).padStart(2, "0")}:${frac}`
    : mins > 0
    ? `${mins}:${frac}`
    : frac;
  return neg ? `-${body}` : body;
}

/** A gap with its sign: 234 → "+0.234", -45 → "-0.045", 61234 → "+1:01.234". */
export function formatGap(ms: number): string {
  return ms < 0 ? formatLap(ms) : `+${formatLap(ms)}`;
}
