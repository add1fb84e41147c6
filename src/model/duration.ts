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
  return h * 3600 + min * 60 + s;
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
