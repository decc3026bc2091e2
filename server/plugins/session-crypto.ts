/**
 * The secrets of sign-in: passwords kept as scrypt hashes with a salt of their own, and random ids for
 * sessions and tokens of which only a SHA-256 is stored. Nothing here is ever logged or kept in clear.
 */
import crypto from 'node:crypto';

/** scrypt's cost: 2^15 × 8 × 128 bytes = 32 MiB and some 50–100 ms per hash, slow for a guesser, fine for a sign-in. */
const COST = { N: 32768, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
    return new Promise((resolve, reject) =>
        crypto.scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r }, (err, key) => (err ? reject(err) : resolve(key))),
    );
}

/** 'scrypt$N$r$p$<salt>$<hash>' (base64): the cost travels with the hash, so it can be raised later. */
export async function hashPassword(password: string): Promise<string> {
    const salt = crypto.randomBytes(16);
    const key = await scrypt(password, salt, COST);
    return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` is the one `stored` was made from; false for a stored value of another form. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
    const parts = stored?.split('$') ?? [];
    if (parts.length !== 6 || parts[0] !== 'scrypt') {
        // The same work as a real check, so that an account without a password is not told apart by time.
        await scrypt(password, crypto.randomBytes(16), COST);
        return false;
    }
    const [, N, r, p, salt, hash] = parts as [string, string, string, string, string, string];
    const expected = Buffer.from(hash, 'base64');
    const key = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(N), r: Number(r), p: Number(p) });
    return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

/** A random secret for a cookie or a token: 32 bytes, URL-safe. */
export function newSecret(prefix = ''): string {
    return prefix + crypto.randomBytes(32).toString('base64url');
}

/** What is stored of a secret: its SHA-256, hex. */
export function secretHash(secret: string): string {
    return crypto.createHash('sha256').update(secret).digest('hex');
}
