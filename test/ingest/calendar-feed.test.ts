/**
 * The feed address rule (ingest/calendar-feed.ts): https only (webcal read as https), public hosts only unless
 * private addresses are allowed (then http:// on this machine too), and the masked form shown to everyone.
 */
import { describe, expect, it } from 'vitest';
import { FeedError, isPublicAddress, maskFeedUrl, normalizeFeedUrl } from '../../ingest/calendar-feed.ts';

const strict = { allowPrivate: false };
const lenient = { allowPrivate: true };
const refusal = (text: string, options = strict) => {
    try {
        normalizeFeedUrl(text, options);
        return null;
    } catch (err) {
        expect(err).toBeInstanceOf(FeedError);
        return (err as Error).message;
    }
};

describe('the feed address rule', () => {
    it('reads webcal as https and keeps https as it is', () => {
        expect(normalizeFeedUrl('webcal://p01-caldav.icloud.com/published/2/abc', strict)).toBe('https://p01-caldav.icloud.com/published/2/abc');
        expect(normalizeFeedUrl(' https://calendar.google.com/calendar/ical/x/private-y/basic.ics#top ', strict)).toBe('https://calendar.google.com/calendar/ical/x/private-y/basic.ics');
    });

    it('refuses other schemes, http, and private or loopback hosts', () => {
        expect(refusal('http://calendar.example/a.ics')).toMatch(/^must be https:\/\//);
        expect(refusal('file:///etc/passwd')).toBe('must be https:// (or webcal://), not file://');
        expect(refusal('calendar.example/a.ics')).toMatch(/^is not an address/);
        for (const host of ['localhost', '127.0.0.1', '10.0.0.8', '172.20.1.1', '192.168.1.10', '169.254.169.254', '[::1]', '[fd00::1]', '[::ffff:127.0.0.1]', '0.0.0.0', 'cal.localhost']) {
            expect(refusal(`https://${host}/a.ics`)).toMatch(/is a local or private address/);
        }
    });

    it('lets tests and local mode read this machine, http included, but never other http hosts', () => {
        expect(normalizeFeedUrl('http://127.0.0.1:8123/a.ics', lenient)).toBe('http://127.0.0.1:8123/a.ics');
        expect(normalizeFeedUrl('https://10.0.0.8/a.ics', lenient)).toBe('https://10.0.0.8/a.ics');
        expect(refusal('http://calendar.example/a.ics', lenient)).toMatch(/^must be https:\/\//);
    });

    it('judges addresses', () => {
        expect(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'].map(isPublicAddress)).toEqual([true, true, true]);
        expect(['127.0.0.1', '10.1.1.1', '100.64.0.1', '192.0.2.1', '224.0.0.1', '255.255.255.255', '::1', 'fe80::1', 'fc00::1', '::ffff:10.0.0.1', 'not-an-ip'].map(isPublicAddress)).toEqual(
            Array(11).fill(false),
        );
    });

    it('masks the secret part of an address', () => {
        expect(maskFeedUrl('https://calendar.google.com/calendar/ical/ada%40firm.example/private-0a1b2c3d/basic.ics')).toBe('https://calendar.google.com/….ics');
        expect(maskFeedUrl('https://outlook.office365.com/owa/calendar/abc/def/reachcalendar.ics?token=s3cr3t99')).toBe('https://outlook.office365.com/….ics');
        expect(maskFeedUrl('https://p01-caldav.icloud.com/published/2/MTIzNDU2Nzg5')).toBe('https://p01-caldav.icloud.com/…');
        expect(maskFeedUrl('not an address')).toBe('…');
    });
});
