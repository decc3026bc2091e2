/**
 * What the capture and review routes share: who "the person" of a request is, capture's refusals as
 * problem details, and answering a write once committed (the refresh that brings it to the marts follows).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Reviewer } from '../../../capture/review/decisions.ts';
import { CaptureError } from '../../../capture/time/errors.ts';
import type { AuditWho } from '../../../capture/audit.ts';
import { auditActor, type Caller } from '../../plugins/auth.ts';
import { HttpProblem } from '../../plugins/problem.ts';
import { personExists } from '../../queries/time.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { writeThenRefresh } from '../write-then-refresh.ts';

/**
 * The person whose time a request is about. Everyone logs their own (the account's or token's person); an
 * admin may name anyone with person_id; in local mode — one user, no accounts — person_id is required. For
 * reading a week, reviewers may name the people whose time they review (`read`).
 */
export async function personFor(app: FastifyInstance, request: FastifyRequest, requested: string | undefined, mode: 'write' | 'read' = 'write'): Promise<string> {
    const caller = request.caller as Caller;
    const exists = async (id: string) => {
        if (!(await personExists(app.warehouse, id))) throw new HttpProblem(400, 'Invalid parameter: person_id', `no person "${id}"`, 'person_id');
        return id;
    };
    if (caller.local) {
        if (!requested) throw new HttpProblem(400, 'Invalid parameter: person_id', 'in local mode there are no accounts: name the person whose time this is (person_id)', 'person_id');
        return exists(requested);
    }
    if (requested && requested !== caller.person_id) {
        if (caller.role === 'admin' || (mode === 'read' && ROLE_GROUPS.review.includes(caller.role))) return exists(requested);
        throw new HttpProblem(403, 'Not allowed', `you log and read your own time: person_id ${requested} is someone else`, 'person_id');
    }
    if (!caller.person_id) {
        throw new HttpProblem(403, 'Not allowed: no person', 'your account names no person, and time is logged by a person; an admin can link the account to one (or, as an admin, name the person with person_id)', 'person_id');
    }
    return caller.person_id;
}

/** The caller as a reviewer: leadership and admins (and local mode) review every project, a manager theirs. */
export function reviewerOf(request: FastifyRequest): Reviewer {
    const caller = request.caller as Caller;
    return { person_id: caller.person_id ?? null, allProjects: Boolean(caller.local) || caller.role !== 'project_manager' };
}

export function problemOf(err: unknown): unknown {
    if (!(err instanceof CaptureError)) return err;
    const title = err.status === 400 ? `Invalid parameter: ${err.field ?? 'request'}` : err.status === 404 ? 'Not found' : err.status === 403 ? 'Not allowed' : 'Conflict';
    return new HttpProblem(err.status, title, err.message, err.field ?? undefined, err.errors ? { errors: err.errors } : undefined);
}

/** Runs a capture write, answers its refusals as problems, then starts the refresh that brings it to the marts. */
export function written<T>(app: FastifyInstance, request: FastifyRequest, write: () => Promise<T>): Promise<T> {
    return writeThenRefresh(app, request, write, problemOf);
}

/**
 * A write on the time of the request's person (personFor: the caller's own, or whom an admin names), by the
 * caller, answered once the marts include it.
 */
export async function writeTimeOf<T>(app: FastifyInstance, request: FastifyRequest, requested: string | undefined, write: (who: AuditWho, person: string) => Promise<T>): Promise<T> {
    const person = await personFor(app, request, requested);
    return written(app, request, () => write(auditActor(request), person));
}

/** A read that may refuse (404, 403) in capture's terms. */
export async function read<T>(fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (err) {
        throw problemOf(err);
    }
}
