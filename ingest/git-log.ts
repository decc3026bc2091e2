/**
 * Commits from `git log`, for capture suggestions. The one format read, a commit a line:
 *
 *     git log --no-merges --format='%H|%ae|%aI|%s'
 *
 * that is the full hash, the author's e-mail, the author date in strict ISO 8601 with its UTC offset
 * (2025-02-03T09:15:00+01:00) and the subject (which may itself hold `|`). Blank lines are passed over; any
 * other line that does not read is reported with its line number and reason. Or a repository on the server's
 * machine: `gitLogOf` runs that same command there with execFile (no shell), bounded in time, output and
 * commits.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const GIT_LOG_FORMAT = '%H|%ae|%aI|%s';

export interface Commit {
    hash: string;
    email: string;
    /** The instant, ms. */
    atMs: number;
    /** The author's own date and time (at their UTC offset): YYYY-MM-DD and minutes from midnight. */
    localDate: string;
    localMinutes: number;
    offsetMinutes: number;
    subject: string;
    line: number;
}

export interface GitLogProblem {
    line: number;
    reason: string;
    value: string;
}

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The commits of a `git log --format='%H|%ae|%aI|%s'` output, and the lines that do not read. */
export function parseGitLog(text: string): { commits: Commit[]; problems: GitLogProblem[] } {
    const commits: Commit[] = [];
    const problems: GitLogProblem[] = [];
    const seen = new Set<string>();
    text.replace(/^\uFEFF/, '')
        .split(/\r?\n/)
        .forEach((raw, i) => {
            const line = i + 1;
            if (raw.trim() === '') return;
            const parts = raw.split('|');
            const value = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
            if (parts.length < 4) return void problems.push({ line, value, reason: `expected hash|e-mail|date|subject (git log --format='${GIT_LOG_FORMAT}')` });
            const [hash, email, date] = parts.map((p) => p.trim());
            const subject = parts.slice(3).join('|').trim();
            if (!/^[0-9a-f]{7,64}$/i.test(hash!)) return void problems.push({ line, value, reason: `"${hash}" is not a commit hash` });
            if (!/^[^\s@]+@[^\s@]+$/.test(email!)) return void problems.push({ line, value, reason: `"${email}" is not an e-mail address` });
            const m = ISO.exec(date!);
            const atMs = Date.parse(date!);
            if (!m || Number.isNaN(atMs) || new Date(`${m[1]}T00:00:00Z`).toISOString().slice(0, 10) !== m[1]) {
                return void problems.push({ line, value, reason: `"${date}" is not an ISO 8601 date with its offset (%aI)` });
            }
            if (seen.has(hash!.toLowerCase())) return;
            seen.add(hash!.toLowerCase());
            const offsetMinutes = m[5] === 'Z' ? 0 : (m[5]!.startsWith('-') ? -1 : 1) * (Number(m[5]!.slice(1, 3)) * 60 + Number(m[5]!.slice(4, 6)));
            commits.push({ hash: hash!.toLowerCase(), email: email!.toLowerCase(), atMs, localDate: m[1]!, localMinutes: Number(m[2]) * 60 + Number(m[3]), offsetMinutes, subject, line });
        });
    return { commits, problems };
}

export class GitRepositoryError extends Error {}

/** At most this many commits are read from a repository, newest first. */
export const MAX_COMMITS = 20_000;

/**
 * `git log` of a repository on this machine since a date, by execFile (no shell): at most MAX_COMMITS
 * commits, 20 s and 32 MB of output. The path must be an absolute path to a directory git reads as a work tree
 * or a bare repository.
 */
export async function gitLogOf(repository: string, since: string, authors: readonly string[]): Promise<string> {
    if (!path.isAbsolute(repository)) throw new GitRepositoryError('the repository must be an absolute path on the server');
    let stat: fs.Stats;
    try {
        stat = fs.statSync(repository);
    } catch {
        throw new GitRepositoryError(`no directory ${repository} on the server`);
    }
    if (!stat.isDirectory()) throw new GitRepositoryError(`${repository} is not a directory`);
    const args = ['-C', repository, 'log', '--no-merges', `--max-count=${MAX_COMMITS}`, `--since=${since}T00:00:00`, `--format=${GIT_LOG_FORMAT}`, '--all'];
    for (const a of authors) args.push(`--author=${a}`);
    return new Promise((resolve, reject) => {
        execFile('git', args, { timeout: 20_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } }, (err, stdout, stderr) => {
            if (err) {
                const why = (stderr || err.message).trim().split('\n')[0] ?? 'git failed';
                reject(new GitRepositoryError(`git log in ${repository} failed: ${why}`));
            } else resolve(stdout);
        });
    });
}
