// Durations as az reads them (`1h2m5s`: hours, minutes, seconds in that order, whole numbers) and as Flux and az
// print them. az matches its pattern only as a prefix (`10m5` → 600 s); fluxcfg requires the whole value to match.
import { UsageError } from '../errors.js';

export const INVALID_DURATION_HELP = 'Specify a valid Go duration and try again (i.e. 1h2m5s)';

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Parses an az duration into whole seconds. `flagName` is what the message names: `--timeout`, `--sync-interval`,
 * `--retry-interval`, or `timeout`/`sync-interval`/`retry-interval` for `-k` keys.
 * Throws UsageError "Error! Invalid {name}." with az's help as hint.
 */
export function parseDuration(value: string, flagName: string): number {
  const m = DURATION.exec(value.trim());
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) {
    throw new UsageError(`Error! Invalid ${flagName}.`, { hint: INVALID_DURATION_HELP });
  }
  const [h, min, s] = [m[1], m[2], m[3]].map((p) => (p === undefined ? 0 : Number(p))) as [number, number, number];
  const total = h * 3600 + min * 60 + s;
  if (total === 0) {
    throw new UsageError(`Error! Invalid ${flagName}.`, { hint: `${flagName} must be longer than 0s (e.g. 10m)` });
  }
  if (total > MAX_DURATION_SECONDS) {
    throw new UsageError(`Error! Invalid ${flagName}.`, {
      hint: `${flagName} is too long: at most ${MAX_DURATION_SECONDS / 86400} days (${MAX_DURATION_SECONDS}s)`,
    });
  }
  return total;
}

/** The longest duration accepted: 24 days, below the 2^31-1 ms a Node timer holds (and far below Go's limit). */
export const MAX_DURATION_SECONDS = 24 * 86400;

/**
 * kubectl's `--request-timeout`: `0` = no timeout, a bare number = seconds, or a Go duration (`30s`, `1m`, `1h2m3s`,
 * `500ms`). Milliseconds; 0 = none.
 */
export function parseRequestTimeoutMs(value: string): number {
  const v = value.trim();
  const bad = (hint: string) => new UsageError(`invalid --request-timeout value '${value}'`, { hint });
  const syntax = "use 0 (no timeout), a number of seconds or a duration such as 30s, 1m (kubectl's syntax)";
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(v);
    if (!v || !m) throw bad(syntax);
    const [h, min, s, milli] = [m[1], m[2], m[3], m[4]].map((p) => Number(p ?? 0)) as [number, number, number, number];
    ms = ((h * 60 + min) * 60 + s) * 1000 + milli;
  }
  if (ms > MAX_DURATION_SECONDS * 1000) throw bad(`at most ${MAX_DURATION_SECONDS}s; 0 means no timeout`);
  return ms;
}

/** A wait or timeout flag (`--wait-timeout 10m`, `--timeout 2m`) in milliseconds. */
export function parseTimeoutMs(value: string, flagName: string): number {
  return parseDuration(value, flagName) * 1000;
}

/** Like parseDuration, but undefined/null/'' (az: "not given") give undefined. */
export function parseOptionalDuration(value: unknown, flagName: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return parseDuration(String(value), flagName);
}

/** Go's time.Duration String() for whole seconds: 600 → "10m0s", 90 → "1m30s", 30 → "30s", 3600 → "1h0m0s". */
export function formatGoDuration(seconds: number): string {
  const total = Math.max(0, Math.trunc(seconds));
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}

/**
 * For fields whose CRD pattern has no hours (source `spec.timeout`: `^([0-9]+(\.[0-9]+)?(ms|s|m))+$`):
 * 3600 → "60m0s", otherwise as formatGoDuration.
 */
export function formatGoDurationNoHours(seconds: number): string {
  const total = Math.max(0, Math.trunc(seconds));
  if (total < 60) return `${total}s`;
  return `${Math.floor(total / 60)}m${total % 60}s`;
}

/** az's table format: 3725 → "1h2m5s", zero parts omitted, 0 → "", null/undefined → null. */
export function formatAzDuration(seconds: number | undefined | null): string | null {
  if (seconds === undefined || seconds === null) return null;
  let rest = Math.trunc(Number(seconds));
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${rest > 0 ? `${rest}s` : ''}`;
}
