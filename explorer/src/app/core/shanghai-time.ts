/**
 * Times as the explorer shows them: always in Asia/Shanghai (UTC+8, no daylight saving), whatever the
 * viewer's own time zone. Input is ISO 8601 with an offset, possibly with nanoseconds as the ledger writes
 * proposal timestamps (`2025-03-06T08:30:00.123456789Z`).
 */
export type Language = 'zh' | 'en';

const LOCALES: Record<Language, string> = { zh: 'zh-CN', en: 'en-GB' };
const SHANGHAI = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** A formatter per language in Asia/Shanghai with `options`, each made once (they are costly to build). */
function shanghaiFormat(options: Intl.DateTimeFormatOptions): (lang: Language) => Intl.DateTimeFormat {
  const formats = new Map<Language, Intl.DateTimeFormat>();
  return (lang) => {
    let format = formats.get(lang);
    if (!format) {
      format = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: SHANGHAI, ...options });
      formats.set(lang, format);
    }
    return format;
  };
}

const DATE = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
const dateFormat = shanghaiFormat(DATE);
const dateTimeFormat = shanghaiFormat({
  ...DATE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Epoch milliseconds of an ISO 8601 text; sub-millisecond digits are dropped. NaN when unreadable. */
export function parseInstant(iso: string): number {
  const trimmed = iso.replace(/(\.\d{3})\d+/, '$1');
  return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? Date.parse(`${trimmed}T00:00:00+08:00`) : Date.parse(trimmed);
}

/** Date and time in Asia/Shanghai, e.g. `2025/03/06 16:30:00` (zh) or `06/03/2025, 16:30:00` (en). */
export function formatShanghaiTime(iso: string | null | undefined, lang: Language): string {
  if (!iso) return '';
  const ms = parseInstant(iso);
  return Number.isNaN(ms) ? iso : dateTimeFormat(lang).format(ms);
}

/** The calendar date in Asia/Shanghai. */
export function formatShanghaiDate(iso: string | null | undefined, lang: Language): string {
  if (!iso) return '';
  const ms = parseInstant(iso);
  return Number.isNaN(ms) ? iso : dateFormat(lang).format(ms);
}

/** An ISO 8601 timestamp with the +08:00 offset, to the second: how decisions are dated. */
export function shanghaiIso(epochMs: number): string {
  const local = new Date(epochMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

/** The instant of a `datetime-local` input value read as Asia/Shanghai wall-clock time, ISO with +08:00. */
export function shanghaiLocalInputToIso(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(value);
  if (!match) return undefined;
  return `${match[1]}T${match[2]}${match[3] ?? ':00'}+08:00`;
}
