/**
 * What every page shares: the firm's dimensions and definitions (loaded once by the root layout), the
 * filters read from the URL, and how to change them (a navigation, so the back button undoes it).
 */
import { goto } from '$app/navigation';
import { page } from '$app/state';
import type { Definitions, Dimensions } from './api/types.ts';
import type { ChartContext } from './charts/common.ts';
import { parseFilters, previousPeriod, resolvePeriod, writeFilters, type Filters, type Period } from './filters.ts';

export interface AppData {
    dims: Dimensions;
    defs: Definitions;
}

/** The browser's locale for numbers and dates (en-US when it cannot be told). */
export function browserLocale(): string {
    return typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US';
}

export function chartContext(dims: Dimensions): ChartContext {
    return { currency: dims.currency, locale: browserLocale() };
}

export interface FilterState {
    /** False while the dimensions are missing (the server could not answer). */
    readonly ready: boolean;
    readonly filters: Filters;
    readonly period: Period;
    readonly previous: Period;
}

class UrlFilters implements FilterState {
    readonly #dims: () => Dimensions | null | undefined;
    readonly #today = new Date().toISOString().slice(0, 10);
    // $derived.by: the dimensions arrive with the constructor, after these fields are made.
    readonly ready = $derived.by(() => !!this.#dims());
    readonly filters = $derived(parseFilters(page.url.searchParams));
    readonly period = $derived.by(() => resolvePeriod(this.filters, this.#dims()?.as_of ?? this.#today, this.#dims()?.first_month ?? null));
    readonly previous = $derived(previousPeriod(this.period));

    constructor(dims: () => Dimensions | null | undefined) {
        this.#dims = dims;
    }
}

/** The filters of the current URL and the periods they resolve to, reactively. */
export function useFilters(dims: () => Dimensions | null | undefined): FilterState {
    return new UrlFilters(dims);
}

/** Navigates to the same page with other filters (a history entry: the back button restores the view). */
export function setFilters(next: Filters, path = page.url.pathname): Promise<void> {
    const qs = writeFilters(next, page.url.searchParams).toString();
    return goto(`${path}${qs ? `?${qs}` : ''}`, { keepFocus: true, noScroll: true });
}

/** Sets or clears one query parameter that is not a filter (an open drill-down, a tab). */
export function setParam(key: string, value: string | null, replace = false): Promise<void> {
    return setParams({ [key]: value }, replace);
}

/** Sets (or, with null, removes) several URL parameters in one navigation. */
export function setParams(values: Record<string, string | null>, replace = false): Promise<void> {
    const qs = new URLSearchParams(page.url.searchParams);
    for (const [key, value] of Object.entries(values)) {
        if (value === null) qs.delete(key);
        else qs.set(key, value);
    }
    const s = qs.toString();
    return goto(`${page.url.pathname}${s ? `?${s}` : ''}`, { keepFocus: true, noScroll: true, replaceState: replace });
}

/** A metric's definition from the catalog (the route descriptions). */
export function metricDefinition(defs: Definitions, name: string): string {
    return defs.metrics.find((m) => m.name === name)?.description ?? '';
}

/** A mart column's description from its .yml. */
export function columnDefinition(defs: Definitions, mart: string, column: string): string {
    return defs.marts[mart]?.columns[column] ?? '';
}
