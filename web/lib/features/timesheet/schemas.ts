/** The API's own rules, so a form refuses exactly what the server would, with the same words. */
export { entryChangeBody, newEntryBody, timerStartBody } from '../../../../server/schemas/time.ts';
export { decisionBody, flagResolveBody } from '../../../../server/schemas/review.ts';
