/** Groups of roles the routes open to. */
import type { Role } from '../plugins/auth.ts';

export const ANALYSTS: readonly Role[] = ['leadership', 'finance', 'project_manager'];
export const EVERYONE: readonly Role[] = ['leadership', 'finance', 'project_manager', 'engineer', 'sales'];
