/**
 * The server's log: JSON lines through Fastify's pino, one per request (method, URL, headers, status, time,
 * who asked) and one per failure with its stack (plugins/problem.ts). Credentials never reach it: the
 * Authorization and Cookie headers (and Set-Cookie) are written as "[redacted]". The level comes from
 * LOG_LEVEL (default info); the tests build the app with the logger off, or writing to a stream they read.
 */
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { actorOf } from './auth.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggingOptions {
    level?: LogLevel;
    /** Where the JSON lines go (default: stdout). */
    stream?: { write(line: string): void };
}

export const REDACTED = '[redacted]';

/** LOG_LEVEL as a level; throws naming the accepted ones. */
export function logLevel(value: string | undefined): LogLevel {
    const level = (value ?? 'info').trim().toLowerCase();
    if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL "${value}" is not a level; one of ${LOG_LEVELS.join(', ')}`);
    return level as LogLevel;
}

/** One line per request, when it has been answered, instead of Fastify's two (received, completed). */
class RequestLog extends LogController {
    override incomingRequest(): void {}

    override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
        const line = { req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 10) / 10, caller: actorOf(request.caller) };
        if (error) reply.log.error({ ...line, err: error }, 'request failed while answering');
        else reply.log.info(line, 'request completed');
    }
}

/** The Fastify options that set up the log (none when off). */
export function loggerOptions(options: boolean | LoggingOptions | undefined): Pick<FastifyServerOptions, 'logger' | 'logController'> {
    if (!options) return { logger: false };
    const { level = 'info', stream } = options === true ? {} : options;
    return {
        logger: {
            level,
            ...(stream ? { stream } : {}),
            redact: {
                paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]', 'res.headers["set-cookie"]'],
                censor: REDACTED,
            },
            serializers: {
                req: (request: FastifyRequest) => ({
                    method: request.method,
                    url: request.url,
                    remoteAddress: request.ip,
                    headers: request.headers,
                }),
            },
        },
        logController: new RequestLog(),
    };
}
