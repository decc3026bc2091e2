/** Static reference data of the demo firm: roles, project profiles, names, text pools. */

export const FIRM_NAME = 'Northwind Digital GmbH';
export const EMAIL_DOMAIN = 'northwind-digital.example';
export const REPORTING_CURRENCY = 'EUR';

export const ROLES = [
    'developer',
    'senior_developer',
    'architect',
    'qa_engineer',
    'designer',
    'project_manager',
    'consultant',
    'devops_engineer',
    'analyst',
    'data_engineer',
] as const;
export type Role = (typeof ROLES)[number];

export interface RoleSpec {
    department: string;
    /** Bill rate (reporting currency, per hour) of the role card in the first year. */
    rate: number;
    /** Mean hourly cost (reporting currency). */
    cost: number;
    /** Share of available hours that can be booked on client work. */
    clientShare: number;
}

export const ROLE_SPECS: Record<Role, RoleSpec> = {
    developer: { department: 'Engineering', rate: 95, cost: 48, clientShare: 0.88 },
    senior_developer: { department: 'Engineering', rate: 125, cost: 64, clientShare: 0.88 },
    architect: { department: 'Engineering', rate: 155, cost: 80, clientShare: 0.8 },
    qa_engineer: { department: 'Quality Assurance', rate: 85, cost: 42, clientShare: 0.88 },
    designer: { department: 'Design', rate: 105, cost: 52, clientShare: 0.86 },
    project_manager: { department: 'Delivery', rate: 120, cost: 62, clientShare: 0.82 },
    consultant: { department: 'Consulting', rate: 145, cost: 72, clientShare: 0.76 },
    devops_engineer: { department: 'Cloud & Operations', rate: 120, cost: 60, clientShare: 0.86 },
    analyst: { department: 'Consulting', rate: 110, cost: 54, clientShare: 0.84 },
    data_engineer: { department: 'Data & AI', rate: 125, cost: 62, clientShare: 0.88 },
};

export const PROJECT_TYPES = ['discovery', 'web_app', 'mobile_app', 'data_platform', 'integration', 'maintenance'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];
export type BillingModel = 'time_and_materials' | 'fixed_fee' | 'retainer' | 'milestone' | 'non_billable';

export interface PhaseSpec {
    phase: string;
    /** Share of the project's estimated hours. */
    share: number;
    /** Planned window as fractions of the planned duration. */
    from: number;
    to: number;
    roles: readonly (readonly [Role, number])[];
}

export interface TypeSpec {
    /** Planned duration in weeks. */
    weeks: readonly [number, number];
    /** Average team size (FTE) while running. */
    fte: readonly [number, number];
    /** Count in the full-size portfolio of 112 client projects. */
    count: number;
    /** The billing models its projects are sold on, each with its share. */
    models: Partial<Record<BillingModel, number>>;
    /** Log-space overrun of the type (added to the phase's). */
    mu: number;
    titles: readonly string[];
    abbrev: string;
    phases: readonly PhaseSpec[];
}

const pmPhase = (share: number): PhaseSpec => ({ phase: 'pm', share, from: 0, to: 1, roles: [['project_manager', 1]] });

export const TYPE_SPECS: Record<ProjectType, TypeSpec> = {
    discovery: {
        weeks: [3, 8],
        fte: [1.5, 3],
        count: 18,
        models: { fixed_fee: 0.6, time_and_materials: 0.4 },
        mu: 0.05,
        abbrev: 'DSC',
        titles: ['Discovery: digital strategy', 'Discovery: platform assessment', 'Architecture review', 'Product discovery sprint', 'Cloud readiness assessment', 'Data strategy discovery'],
        phases: [
            { phase: 'discovery', share: 0.65, from: 0, to: 0.75, roles: [['consultant', 0.45], ['analyst', 0.3], ['architect', 0.25]] },
            { phase: 'design', share: 0.25, from: 0.5, to: 1, roles: [['designer', 0.55], ['architect', 0.45]] },
            pmPhase(0.1),
        ],
    },
    web_app: {
        weeks: [12, 30],
        fte: [3, 7],
        count: 26,
        models: { time_and_materials: 0.4, fixed_fee: 0.3, milestone: 0.3 },
        mu: 0.06,
        abbrev: 'WEB',
        titles: ['Customer portal', 'B2B ordering platform', 'Self-service portal', 'Partner extranet', 'E-commerce relaunch', 'Booking platform', 'Employee intranet', 'Claims portal'],
        phases: [
            { phase: 'discovery', share: 0.07, from: 0, to: 0.12, roles: [['consultant', 0.4], ['analyst', 0.3], ['architect', 0.3]] },
            { phase: 'design', share: 0.12, from: 0.08, to: 0.3, roles: [['designer', 0.7], ['architect', 0.15], ['analyst', 0.15]] },
            { phase: 'build', share: 0.5, from: 0.22, to: 0.82, roles: [['developer', 0.55], ['senior_developer', 0.35], ['devops_engineer', 0.1]] },
            { phase: 'test', share: 0.15, from: 0.6, to: 0.95, roles: [['qa_engineer', 0.75], ['developer', 0.25]] },
            { phase: 'deploy', share: 0.06, from: 0.9, to: 1, roles: [['devops_engineer', 0.6], ['senior_developer', 0.4]] },
            pmPhase(0.1),
        ],
    },
    mobile_app: {
        weeks: [10, 26],
        fte: [3, 6],
        count: 14,
        models: { fixed_fee: 0.35, milestone: 0.4, time_and_materials: 0.25 },
        mu: 0.1,
        abbrev: 'MOB',
        titles: ['Mobile banking app', 'Field service app', 'Loyalty app', 'Patient companion app', 'Driver app', 'Retail companion app'],
        phases: [
            { phase: 'discovery', share: 0.06, from: 0, to: 0.12, roles: [['consultant', 0.4], ['analyst', 0.4], ['architect', 0.2]] },
            { phase: 'design', share: 0.16, from: 0.08, to: 0.32, roles: [['designer', 0.8], ['architect', 0.2]] },
            { phase: 'build', share: 0.48, from: 0.25, to: 0.82, roles: [['developer', 0.55], ['senior_developer', 0.35], ['devops_engineer', 0.1]] },
            { phase: 'test', share: 0.15, from: 0.6, to: 0.95, roles: [['qa_engineer', 0.8], ['developer', 0.2]] },
            { phase: 'deploy', share: 0.05, from: 0.9, to: 1, roles: [['devops_engineer', 0.5], ['senior_developer', 0.5]] },
            pmPhase(0.1),
        ],
    },
    data_platform: {
        weeks: [16, 40],
        fte: [3, 7],
        count: 14,
        models: { time_and_materials: 0.5, milestone: 0.35, fixed_fee: 0.15 },
        mu: 0.14,
        abbrev: 'DAT',
        titles: ['Data lakehouse', 'Analytics platform', 'Customer 360', 'Reporting modernisation', 'Forecasting pipeline', 'Data warehouse migration'],
        phases: [
            { phase: 'discovery', share: 0.07, from: 0, to: 0.1, roles: [['consultant', 0.3], ['analyst', 0.3], ['architect', 0.4]] },
            { phase: 'design', share: 0.08, from: 0.07, to: 0.22, roles: [['architect', 0.6], ['data_engineer', 0.4]] },
            { phase: 'build', share: 0.44, from: 0.18, to: 0.75, roles: [['data_engineer', 0.5], ['developer', 0.25], ['senior_developer', 0.15], ['devops_engineer', 0.1]] },
            { phase: 'integration', share: 0.12, from: 0.55, to: 0.85, roles: [['data_engineer', 0.4], ['senior_developer', 0.4], ['devops_engineer', 0.2]] },
            { phase: 'test', share: 0.12, from: 0.65, to: 0.95, roles: [['qa_engineer', 0.7], ['data_engineer', 0.3]] },
            { phase: 'deploy', share: 0.07, from: 0.9, to: 1, roles: [['devops_engineer', 0.7], ['data_engineer', 0.3]] },
            pmPhase(0.1),
        ],
    },
    integration: {
        weeks: [8, 24],
        fte: [2, 5],
        count: 22,
        models: { fixed_fee: 0.45, time_and_materials: 0.45, milestone: 0.1 },
        mu: 0.1,
        abbrev: 'INT',
        titles: ['ERP–CRM integration', 'Payment gateway integration', 'API gateway rollout', 'Order sync middleware', 'HR system integration', 'Legacy interface replacement'],
        phases: [
            { phase: 'discovery', share: 0.08, from: 0, to: 0.12, roles: [['analyst', 0.5], ['architect', 0.5]] },
            { phase: 'build', share: 0.4, from: 0.1, to: 0.6, roles: [['senior_developer', 0.5], ['developer', 0.4], ['devops_engineer', 0.1]] },
            { phase: 'integration', share: 0.22, from: 0.45, to: 0.82, roles: [['senior_developer', 0.45], ['developer', 0.35], ['devops_engineer', 0.2]] },
            { phase: 'test', share: 0.15, from: 0.6, to: 0.95, roles: [['qa_engineer', 0.8], ['developer', 0.2]] },
            { phase: 'deploy', share: 0.05, from: 0.9, to: 1, roles: [['devops_engineer', 0.7], ['senior_developer', 0.3]] },
            pmPhase(0.1),
        ],
    },
    maintenance: {
        weeks: [52, 104],
        fte: [1.2, 3.5],
        count: 18,
        models: { retainer: 0.6, time_and_materials: 0.4 },
        mu: 0.02,
        abbrev: 'MNT',
        titles: ['Application maintenance', 'Platform support', 'Run & maintain', 'Managed services', 'Continuous improvement'],
        phases: [
            { phase: 'support', share: 0.58, from: 0, to: 1, roles: [['developer', 0.45], ['senior_developer', 0.25], ['devops_engineer', 0.15], ['qa_engineer', 0.15]] },
            { phase: 'enhancement', share: 0.32, from: 0, to: 1, roles: [['developer', 0.5], ['senior_developer', 0.3], ['designer', 0.1], ['qa_engineer', 0.1]] },
            pmPhase(0.1),
        ],
    },
};

/** Log-space overrun by phase: testing and integration overrun the most. */
export const PHASE_MU: Record<string, number> = {
    discovery: 0,
    design: 0.04,
    build: 0.07,
    integration: 0.28,
    test: 0.22,
    deploy: 0.12,
    pm: 0.06,
    support: 0.03,
    enhancement: 0.08,
};

export const MODEL_MU: Record<BillingModel, number> = {
    time_and_materials: 0,
    fixed_fee: 0.05,
    milestone: 0.03,
    retainer: 0,
    non_billable: 0,
};

/** Milestone names by the phase whose completion they mark. */
export const MILESTONE_NAMES: Record<string, string> = {
    discovery: 'Discovery sign-off',
    design: 'Design approved',
    build: 'MVP delivered',
    integration: 'Integration complete',
    test: 'UAT passed',
    deploy: 'Go-live',
};
export const MILESTONE_WEIGHT: Record<string, number> = { discovery: 0.1, design: 0.15, build: 0.35, integration: 0.15, test: 0.2, deploy: 0.2 };

// ---- activities ----
export type Dist = readonly (readonly [string, number])[];

const dev: Dist = [['development', 0.82], ['meeting', 0.09], ['code_review', 0.06], ['documentation', 0.03]];
export function activityDist(phase: string, role: Role): Dist {
    switch (phase) {
        case 'discovery':
            return [['analysis', 0.5], ['meeting', 0.36], ['documentation', 0.1], ['travel', 0.04]];
        case 'design':
            if (role === 'designer') return [['design', 0.82], ['meeting', 0.14], ['documentation', 0.04]];
            if (role === 'analyst') return [['analysis', 0.7], ['meeting', 0.2], ['documentation', 0.1]];
            return [['design', 0.55], ['meeting', 0.25], ['documentation', 0.2]];
        case 'build':
        case 'enhancement':
            if (role === 'devops_engineer') return [['devops', 0.8], ['development', 0.1], ['meeting', 0.1]];
            if (role === 'designer') return [['design', 0.85], ['meeting', 0.15]];
            if (role === 'qa_engineer') return [['qa', 0.85], ['meeting', 0.15]];
            return dev;
        case 'integration':
            return [['development', 0.7], ['meeting', 0.12], ['devops', 0.1], ['qa', 0.08]];
        case 'test':
            if (role === 'qa_engineer') return [['qa', 0.86], ['meeting', 0.1], ['documentation', 0.04]];
            return [['development', 0.6], ['qa', 0.3], ['meeting', 0.1]];
        case 'deploy':
            return [['devops', 0.75], ['development', 0.15], ['meeting', 0.1]];
        case 'pm':
            return [['pm', 0.6], ['meeting', 0.36], ['admin', 0.04]];
        case 'support':
            if (role === 'qa_engineer') return [['qa', 0.8], ['support', 0.1], ['meeting', 0.1]];
            return [['support', 0.5], ['development', 0.38], ['meeting', 0.08], ['devops', 0.04]];
        case 'hypercare':
            return [['support', 0.6], ['development', 0.3], ['meeting', 0.1]];
        default:
            return dev;
    }
}

/** Internal (non_billable) projects of the firm, in id order. */
export interface InternalSpec {
    key: string;
    code: string;
    name: string;
    phase: string;
    activities: Dist;
    tasks: readonly string[];
}
export const INTERNAL: readonly InternalSpec[] = [
    { key: 'admin', code: 'INT-ADM', name: 'Administration', phase: 'admin', activities: [['admin', 0.8], ['meeting', 0.2]], tasks: ['Timesheets & expenses', 'Team meeting', 'IT setup', 'Appraisals', 'All-hands'] },
    { key: 'leave', code: 'INT-LEAVE', name: 'Time off', phase: 'leave', activities: [['leave', 1]], tasks: ['Vacation', 'Vacation', 'Vacation', 'Sick leave', 'Public holiday'] },
    { key: 'training', code: 'INT-TRAIN', name: 'Training & conferences', phase: 'training', activities: [['training', 1]], tasks: ['Conference', 'Certification prep', 'Online course', 'Workshop'] },
    { key: 'presales', code: 'INT-SALES', name: 'Presales & proposals', phase: 'presales', activities: [['presales', 0.75], ['meeting', 0.25]], tasks: ['Proposal writing', 'Pitch preparation', 'RFP response', 'Estimation'] },
    { key: 'tools', code: 'INT-TOOLS', name: 'Internal tools', phase: 'internal', activities: [['development', 0.85], ['meeting', 0.15]], tasks: ['Internal portal', 'Tooling automation', 'Project templates'] },
    { key: 'knowledge', code: 'INT-KNOW', name: 'Knowledge sharing', phase: 'knowledge', activities: [['meeting', 0.7], ['documentation', 0.3]], tasks: ['Tech talk', 'Guild meeting', 'Wiki'] },
    { key: 'bench', code: 'INT-BENCH', name: 'Bench & R&D', phase: 'research', activities: [['development', 0.7], ['training', 0.3]], tasks: ['R&D spike', 'Open-source contribution', 'Prototype'] },
    { key: 'hr', code: 'INT-HR', name: 'Recruiting & onboarding', phase: 'recruiting', activities: [['meeting', 0.7], ['admin', 0.3]], tasks: ['Interviews', 'Onboarding', 'Mentoring'] },
];

/** Weights of internal filler work by role, in INTERNAL order (leave excluded: weight 0). */
export function fillerWeights(role: Role): number[] {
    const sales = role === 'consultant' || role === 'architect' || role === 'project_manager' ? 4 : role === 'analyst' ? 1.5 : 0.3;
    const tools = role === 'developer' || role === 'senior_developer' || role === 'devops_engineer' || role === 'data_engineer' ? 2 : 0.6;
    const hr = role === 'project_manager' || role === 'architect' ? 1 : 0.3;
    return [3, 0, 1.5, sales, tools, 1.5, 2, hr];
}

export const TASKS: Record<string, readonly string[]> = {
    discovery: ['Stakeholder interviews', 'Current-state analysis', 'Requirements workshop', 'Solution options', 'Business case', 'Backlog grooming'],
    design: ['Wireframes', 'UI design system', 'Architecture design', 'Data model', 'Prototype', 'Design review'],
    build: ['API endpoints', 'Login & SSO', 'Checkout flow', 'Search, filters and sorting', 'Admin console', 'Notifications', 'Reporting module', 'CI pipeline', 'Data ingestion jobs', 'Payment integration'],
    integration: ['ERP connector', 'CRM sync', 'Message queue setup', 'End-to-end integration', 'Mapping rules', 'Error handling'],
    test: ['Regression suite', 'UAT support', 'Test automation', 'Performance tests', 'Bug fixing', 'Test plan'],
    deploy: ['Release preparation', 'Production deployment', 'Cutover', 'Monitoring setup', 'Runbook'],
    pm: ['Status reporting', 'Sprint planning', 'Steering committee', 'Risk log', 'Budget tracking', 'Stakeholder management'],
    support: ['Incident handling', 'Ticket triage', 'Security patches', 'Monitoring', 'Minor fixes'],
    enhancement: ['Change request', 'Small feature', 'UX improvements', 'Dependency upgrades'],
    hypercare: ['Hypercare support', 'Post go-live fixes'],
    rework: ['Rework after UAT'],
};

/** Optional notes by activity ('' = no note). Some contain commas, quotes, newlines and non-ASCII text. */
export const NOTES: Record<string, readonly string[]> = {
    development: ['', '', '', '', 'Implemented review feedback', 'Refactoring, cleanup', 'Fixed "null pointer" in export', 'Pairing session', 'Merged PR #412', 'Überarbeitung der API – Feedback eingearbeitet'],
    meeting: ['', '', 'Weekly status call with client', 'Sprint review', 'Daily stand-up', 'Steering committee, monthly', 'Workshop\nfollow-up actions sent'],
    qa: ['', '', '', 'Regression run', 'Exploratory testing', 'Filed 7 bugs', 'Automated smoke tests'],
    pm: ['', '', 'Status report sent', 'Updated plan & risks', 'Budget review with client'],
    design: ['', '', 'Iteration on feedback', 'Handover to dev'],
    analysis: ['', '', 'Interview notes', 'Process mapping'],
    support: ['', '', 'Ticket #2291', 'P2 incident, resolved'],
    admin: ['', 'Expenses', 'Timesheet corrections'],
    default: ['', '', ''],
};

export const MEETING_NONBILLABLE_NOTES = ['Internal sync', 'Internal sync', 'Team retro', 'Handover meeting'];

export const FIRST_NAMES = [
    'Anna', 'Ben', 'Clara', 'David', 'Elena', 'Felix', 'Greta', 'Hannah', 'Ivan', 'Julia', 'Karim', 'Lena', 'Marco', 'Nina', 'Oscar', 'Paula',
    'Quentin', 'Rosa', 'Samir', 'Tara', 'Ugo', 'Vera', 'Wei', 'Xenia', 'Yusuf', 'Zoë', 'José', 'Łukasz', 'Amélie', 'Björn', 'Chiara', 'Dmitri',
    'Emre', 'Fatima', 'Giulia', 'Hiroshi', 'Inès', 'Jonas', 'Katarzyna', 'Liam', 'Maja', 'Noah', 'Olga', 'Pieter', 'Ravi', 'Sofia', 'Tomás',
    'Ulla', 'Viktor', 'Wiebke', 'Aisha', 'Bruno', 'Carmen', 'Dario', 'Eva', 'Finn', 'Hugo', 'Ida', 'Jan', 'Kofi', 'Leila', 'Mateo',
];
export const LAST_NAMES = [
    'Müller', 'Schmidt', 'Rossi', 'García', 'Novak', 'Jansen', 'Kowalski', "O'Connor", 'Dubois', 'Silva', 'Andersen', 'Berg', 'Costa', 'de Vries',
    'Eriksson', 'Fischer', 'Greco', 'Horvat', 'Ivanova', 'Jensen', 'Kaya', 'Lambert', 'Moreau', 'Nowak', 'Olsen', 'Petrov', 'Quinn', 'Romano',
    'Santos', 'Tanaka', 'Ulrich', 'Vogel', 'Weber', 'Yilmaz', 'Zimmermann', 'Nguyen', 'Patel', 'Kim', 'Okafor', 'Haddad', 'Lindqvist', 'Martens',
    'Baker', 'Brennan', 'Ferreira', 'Hoffmann', 'Krüger', 'Larsen', 'Meyer', 'Nielsen',
];

export interface ClientSpec {
    name: string;
    short: string;
    currency: string;
}
/** 30 clients; the first ten include both foreign currencies, so smaller demo firms keep them. */
export const CLIENTS: readonly ClientSpec[] = [
    { name: 'Acme Logistics', short: 'ACME', currency: 'EUR' },
    { name: 'Borealis Bank', short: 'BORB', currency: 'EUR' },
    { name: 'Nimbus Airlines', short: 'NIMB', currency: 'USD' },
    { name: 'Cobalt Health', short: 'COBH', currency: 'EUR' },
    { name: 'Delta Foods, Inc.', short: 'DELF', currency: 'USD' },
    { name: 'Evergreen Energy', short: 'EVGR', currency: 'EUR' },
    { name: 'Beacon Legal LLP', short: 'BEAC', currency: 'GBP' },
    { name: 'Müller & Söhne "Digital" GmbH', short: 'MUSO', currency: 'EUR' },
    { name: 'Fjord Insurance', short: 'FJRD', currency: 'EUR' },
    { name: 'Granite Retail', short: 'GRAN', currency: 'EUR' },
    { name: 'Helix Pharma', short: 'HELX', currency: 'EUR' },
    { name: 'Ionic Telecom', short: 'IONT', currency: 'EUR' },
    { name: 'Juniper Travel', short: 'JUNI', currency: 'EUR' },
    { name: 'Kestrel Media', short: 'KEST', currency: 'EUR' },
    { name: 'Lumen Education', short: 'LUME', currency: 'EUR' },
    { name: 'Meridian Motors', short: 'MERI', currency: 'EUR' },
    { name: 'Quartz Payments', short: 'QRTZ', currency: 'USD' },
    { name: 'Orchid Cosmetics', short: 'ORCH', currency: 'EUR' },
    { name: 'Pioneer Housing', short: 'PION', currency: 'EUR' },
    { name: 'Redwood Publishing', short: 'REDW', currency: 'GBP' },
    { name: 'Saffron Hotels', short: 'SAFF', currency: 'EUR' },
    { name: 'Tundra Mining', short: 'TUND', currency: 'EUR' },
    { name: 'Umbra Security', short: 'UMBR', currency: 'EUR' },
    { name: 'Vertex Manufacturing', short: 'VERT', currency: 'EUR' },
    { name: 'Willow Care', short: 'WILL', currency: 'EUR' },
    { name: 'Xenon Labs', short: 'XENO', currency: 'USD' },
    { name: 'Yarrow Agritech', short: 'YARR', currency: 'EUR' },
    { name: 'Zephyr Mobility', short: 'ZEPH', currency: 'EUR' },
    { name: 'Atlas Freight', short: 'ATLS', currency: 'EUR' },
    { name: 'Cedar Municipal Services', short: 'CEDR', currency: 'EUR' },
];

/** Value of one unit of each currency in the reporting currency, at the start of the window. */
export const FX_START: Record<string, number> = { GBP: 1.16, USD: 0.92 };
