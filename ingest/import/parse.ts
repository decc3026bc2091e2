/**
 * SQL reading the cells of other tools' exports, as they come: dates day-first, month-first or ISO; 12- and
 * 24-hour clocks; durations as h:mm:ss, h:mm, `35m`, `1h 30m` or decimal hours; numbers with a decimal comma
 * or point and thousands separators; yes/no in several spellings. Each value builder takes a cell as cell() gives
 * it (trimmed, empty → null: the caller cleans each cell once, in a column of its own, since the builders name
 * their cell many times) and gives a SQL expression that is null when the cell does not parse WHOLE (the caller
 * names the cell then). The vote builders take the file's text as it is.
 */

export type DateOrder = 'dmy' | 'mdy';
export type DecimalMark = '.' | ',';

/** `x` trimmed, '' → null (a cell with only spaces is empty). */
export function cell(x: string): string {
    return `nullif(trim(${x}), '')`;
}

const DAY_MONTH = String.raw`^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})`;
const ISO_DATE = String.raw`^(\d{4})[-./](\d{1,2})[-./](\d{1,2})`;
/** What may follow a date in its cell: nothing, or a time (`2024-03-04 10:23`, `2024-03-04T10:23:00Z`). */
const AFTER_DATE = String.raw`([T ].*)?$`;

/** A date cell (a timestamp's date part too) → date, in the given order for day/month dates. */
export function dateSql(t: string, order: DateOrder | null): string {
    const iso = `regexp_extract(${t}, '${ISO_DATE}${AFTER_DATE}', ['y', 'm', 'd'])`;
    const dm = `regexp_extract(${t}, '${DAY_MONTH}${AFTER_DATE}', ['a', 'b', 'y'])`;
    const year = `(case when length(${dm}.y) = 2 then '20' || ${dm}.y else ${dm}.y end)`;
    const [day, month] = order === 'mdy' ? [`${dm}.b`, `${dm}.a`] : [`${dm}.a`, `${dm}.b`];
    const dayMonth = order === null ? 'null' : `try_cast(${year} || '-' || lpad(${month}, 2, '0') || '-' || lpad(${day}, 2, '0') as date)`;
    // The common cell first, with one plain match and a cast (the same answer the general path gives it).
    return (
        `(case when regexp_full_match(${t}, '\\d{4}-\\d{2}-\\d{2}') then try_cast(${t} as date) ` +
        `when regexp_matches(${t}, '${ISO_DATE}${AFTER_DATE}') ` +
        `then try_cast(${iso}.y || '-' || lpad(${iso}.m, 2, '0') || '-' || lpad(${iso}.d, 2, '0') as date) ` +
        `when regexp_matches(${t}, '${DAY_MONTH}${AFTER_DATE}') then ${dayMonth} end)`
    );
}

/** Which orders a day/month date cell allows: 'dmy' (first part > 12), 'mdy' (second part > 12), 'both', 'none'. */
export function dateOrderVoteSql(x: string): string {
    const t = cell(x);
    const dm = `regexp_extract(${t}, '${DAY_MONTH}${AFTER_DATE}', ['a', 'b', 'y'])`;
    const a = `try_cast(${dm}.a as integer)`;
    const b = `try_cast(${dm}.b as integer)`;
    return (
        `(case when not regexp_matches(${t}, '${DAY_MONTH}${AFTER_DATE}') then null ` +
        `when ${a} between 13 and 31 and ${b} between 1 and 12 then 'dmy' ` +
        `when ${b} between 13 and 31 and ${a} between 1 and 12 then 'mdy' ` +
        `when ${a} between 1 and 12 and ${b} between 1 and 12 then 'both' else 'none' end)`
    );
}

const CLOCK = String.raw`^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp]\.?[Mm]\.?)?$`;

/** A time-of-day cell (`10:23`, `10:23:52`, `10:23:52 AM`, `12:05 PM`) → seconds after midnight. */
export function clockSql(t: string): string {
    const p = `regexp_extract(${t}, '${CLOCK}', ['h', 'm', 's', 'ampm'])`;
    const h = `try_cast(${p}.h as integer)`;
    const ampm = `lower(left(${p}.ampm, 1))`;
    const hour = `(case when ${ampm} = '' then ${h} when ${ampm} = 'a' then ${h} % 12 else ${h} % 12 + 12 end)`;
    const valid = `(${ampm} = '' and ${h} < 24 or ${ampm} <> '' and ${h} between 1 and 12) and try_cast(${p}.m as integer) < 60 and coalesce(try_cast(nullif(${p}.s, '') as integer), 0) < 60`;
    // A valid hh:mm:ss, the common cell, read as a time of day; the general pattern after it.
    return `(case when regexp_full_match(${t}, '([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d') then epoch(${t}::time)::integer when regexp_matches(${t}, '${CLOCK}') and ${valid} then ${hour} * 3600 + try_cast(${p}.m as integer) * 60 + coalesce(try_cast(nullif(${p}.s, '') as integer), 0) end)`;
}

/** A timestamp cell with its own offset or zone (`2024-03-04T09:23:52Z`, `2024-03-04 10:23:52+01:00`) → timestamptz. */
export function zonedTimestampSql(t: string): string {
    return `(case when regexp_matches(${t}, '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)$') then try_cast(${t} as timestamptz) end)`;
}

/** The time-of-day of a local timestamp cell (`2024-03-04 10:23:52`, `2024-03-04T10:23`) → seconds after midnight. */
export function timeOfTimestampSql(t: string): string {
    return clockSql(`nullif(regexp_extract(${t}, '[T ](\\d{1,2}:\\d{2}(:\\d{2})?(\\.\\d+)?(\\s*[AaPp]\\.?[Mm]\\.?)?)', 1), '')`);
}

/** A number cell with the file's decimal mark; thousands separators, spaces and currency signs ignored. */
export function numberSql(x: string, mark: DecimalMark): string {
    const t = `regexp_replace(${x}, '[\\s\\x{00a0}\\x{202f}''$€£¥]|^[A-Z]{3}\\s*', '', 'g')`;
    const plain = mark === ',' ? `replace(replace(${t}, '.', ''), ',', '.')` : `replace(${t}, ',', '')`;
    return `(case when regexp_full_match(${plain}, '[+-]?(\\d+(\\.\\d*)?|\\.\\d+)') then try_cast(${plain} as decimal(38,10)) end)`;
}

/** Which decimal mark a number cell shows, if it tells: ',' for `2.000,0` or `0,5`, '.' for `1,020.00` or `0.5`. */
export function decimalVoteSql(x: string): string {
    const t = cell(x);
    return (
        `(case when regexp_matches(${t}, ',\\d{1,2}$|,\\d{4,}$|^\\d+(\\.\\d{3})+,\\d+$') then ',' ` +
        `when regexp_matches(${t}, '\\.\\d{1,2}$|\\.\\d{4,}$|^\\d+(,\\d{3})+\\.\\d+$') then '.' end)`
    );
}

const HMS = String.raw`^(\d+):(\d{1,2}):(\d{1,2})$`;
const HM = String.raw`^(\d+):(\d{1,2})$`;
const UNITS = String.raw`^(?:(\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?\s*(?:(\d+)\s*s(?:ec(?:onds?)?)?)?$`;

/**
 * A duration cell → whole seconds: h:mm:ss (hours may pass 24), h:mm, `35m`, `1h 30m`, `2h`, `90s`, or decimal
 * hours in the file's mark (`1.5`, `0,01` = 36 s: rounded to the second, half up).
 */
export function durationSql(x: string, mark: DecimalMark): string {
    const t = `lower(${x})`;
    const hms = `regexp_extract(${t}, '${HMS}', ['h', 'm', 's'])`;
    const hm = `regexp_extract(${t}, '${HM}', ['h', 'm'])`;
    const u = `regexp_extract(${t}, '${UNITS}', ['h', 'm', 's'])`;
    const uh = `coalesce(${numberSql(`nullif(${u}.h, '')`, mark)}, 0)`;
    // hh:mm:ss with two-digit hours, the common cell, read by position (no letters: as it is); the general
    // patterns after it.
    const fixed = (a: number) => `substr(${x}, ${a}, 2)::integer`;
    return (
        `(case when regexp_full_match(${x}, '\\d{2}:[0-5]\\d:[0-5]\\d') then ${fixed(1)} * 3600 + ${fixed(4)} * 60 + ${fixed(7)} ` +
        `when regexp_full_match(${x}, '\\d{2}:\\d{2}:\\d{2}') then null ` +
        `when regexp_matches(${t}, '${HMS}') and ${hms}.m::integer < 60 and ${hms}.s::integer < 60 ` +
        `then ${hms}.h::bigint * 3600 + ${hms}.m::integer * 60 + ${hms}.s::integer ` +
        `when regexp_matches(${t}, '${HM}') and ${hm}.m::integer < 60 then ${hm}.h::bigint * 3600 + ${hm}.m::integer * 60 ` +
        `when regexp_matches(${t}, '[a-z]') and regexp_matches(${t}, '${UNITS}') ` +
        `then round(${uh} * 3600)::bigint + coalesce(try_cast(nullif(${u}.m, '') as bigint), 0) * 60 + coalesce(try_cast(nullif(${u}.s, '') as bigint), 0) ` +
        `else round(${numberSql(t, mark)} * 3600)::bigint end)`
    );
}

/** A currency cell → its ISO code, the three letters it ends with (`EUR`, Harvest's `Euro - EUR`). */
export function currencySql(x: string): string {
    return `upper(regexp_extract(${x}, '([A-Za-z]{3})\\s*$', 1))`;
}

const YES = `('yes', 'y', 'true', '1', 'x', 'ja', 'oui', 'sí', 'si', 'billable')`;
const NO = `('no', 'n', 'false', '0', 'nein', 'non', 'not billable', 'non-billable')`;

/** A yes/no cell → boolean; empty → false; anything else null (the caller rejects the row naming the cell). */
export function yesNoSql(x: string): string {
    const t = `lower(${x})`;
    return `(case when ${t} is null then false when ${t} in ${YES} then true when ${t} in ${NO} then false end)`;
}
