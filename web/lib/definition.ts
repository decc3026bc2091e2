/**
 * A definition as people read it: the plain sentence first, the models it comes from (marts.fct_…) apart, for
 * analysts. A parenthesis that only names models leaves the sentence; every model named is listed once.
 */
const MODEL = /\b(?:marts|intermediate|staging)\.[a-z0-9_]+/g;
const NAMES_A_MODEL = new RegExp(MODEL.source);

export interface Definition {
    plain: string;
    models: string[];
}

export function splitDefinition(text: string): Definition {
    const models = [...new Set(text.match(MODEL) ?? [])];
    const plain = text
        .replace(/\s*\(([^()]*)\)/g, (whole, inner: string) => (inner.replace(MODEL, '').replace(/[\s,;]|and/g, '') === '' && NAMES_A_MODEL.test(inner) ? '' : whole))
        .replace(/\s+([.,;:])/g, '$1')
        .trim();
    return { plain, models };
}
