/** The capture API's shapes as the pages use them (server/schemas/time.ts, as types). */
export type { Entry as TimeEntry, OptionsAnswer, ProjectOption, WeekAnswer, WeekCopyAnswer, GridError, TimerAnswer, TimerStopAnswer } from '../../../../server/schemas/time.ts';
import type { TimerAnswer } from '../../../../server/schemas/time.ts';
export type RunningTimer = NonNullable<TimerAnswer['running']>;
