#!/usr/bin/env node
/**
 * realize — the command line. Each command lives in bin/commands/; this file only dispatches and turns
 * known failures into one clear line and an exit code: 0 done, 1 data rejected, 2 usage, 3 file locked.
 */
import { UsageError } from '../ingest/files.ts';
import { WarehouseLockedError } from '../warehouse/warehouse.ts';
import { demoCommand } from './commands/demo.ts';
import { importCommand } from './commands/import.ts';
import { ingestCommand } from './commands/ingest.ts';
import { modelsCommand } from './commands/models.ts';
import { quoteCommand } from './commands/quote.ts';
import { serveCommand, startCommand } from './commands/serve.ts';
import { tokenCommand } from './commands/token.ts';
import { usersCommand } from './commands/users.ts';

const HELP = `realize — margin analytics for IT-services firms

Usage:
  realize start [--port N] [--db FILE]        seed the demo firm if the database does not exist, then serve
  realize serve [--port N] [--db FILE]        serve the API and dashboard on an existing database
      start and serve also take --memory-limit SIZE (default 3GB), --temp-limit SIZE (DuckDB's spill space,
      20GB) and --upload-limit SIZE (1GiB), or REALIZE_MEMORY_LIMIT, REALIZE_TEMP_LIMIT, REALIZE_UPLOAD_LIMIT
  realize demo [--out DIR] [--seed N] [--end YYYY-MM-DD] [--entries N] [--format csv|parquet]
                                              write the demo firm as canonical files
  realize ingest PATH... [--db FILE] [--entity NAME] [--json] [--no-models]
                                              load canonical CSV/Parquet files or folders (all or nothing),
                                              then rebuild the models
  realize import cesaw DIR [--db FILE] [--json]
                                              map the CESAW TSP time logs to canonical data and load them
  realize import toggl|clockify|harvest|kimai|jira|generic|auto FILE... [--db FILE] [--dry-run] [--json]
                 [--no-create] [--date-order dmy|mdy] [--time-zone ZONE] [--columns MAPPING.json]
                 [--map person:EMAIL=ID] [--no-models]
                                              import another tool's time export (CSV, XLSX, Parquet; Toggl JSON):
                                              every row imported or reported, unknown people, clients and
                                              projects created (--no-create refuses them), re-imports unchanged
  realize import invoiceninja|freshbooks|zoho|wave|auto FILE... [--db FILE] [--dry-run] [--json] [--no-create] [--no-models]
                                              import an invoicing tool's CSV exports as billing history:
                                              client lists, invoices, their lines, payments, write-offs and
                                              refunds (credit notes), and a project per client
  realize models build|test [--db FILE] [--json]
                                              build the SQL models (models/) and run their tests
  realize quote backtest --csv FILE --estimate COL --actual COL --class COL[,COL] --date COL
                 [--date-format FMT] [--group COL] [--encoding ENC] [--min-class N] [--items FILE] [--check] [--json]
                                              time-ordered backtest of calibrated intervals on any work items
                                              (realize quote backtest --help for the options)
  realize quote prepare-sip DIR --out FILE    join the SiP files into one work-item CSV
  realize users add|list|disable|enable|role|password [--email E] [--role R] [--person ID] [--password-stdin]
                                              the firm's accounts; the first one turns sign-in on
  realize token create|list|revoke [--person ID] [--role R] [TOKEN_ID]
                                              API tokens for integrations, shown once, stored hashed

The database defaults to data/realize.duckdb; REALIZE_DB or --db override it.
Exit codes: 0 done, 1 rows rejected (nothing loaded), 2 usage error, 3 database in use by another process.`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
    start: startCommand,
    serve: serveCommand,
    demo: demoCommand,
    ingest: ingestCommand,
    import: importCommand,
    models: modelsCommand,
    quote: quoteCommand,
    users: usersCommand,
    token: tokenCommand,
};

async function main(argv: string[]): Promise<number> {
    const [name, ...rest] = argv;
    if (!name || name === 'help' || name === '--help' || name === '-h') {
        console.log(HELP);
        return name ? 0 : 2;
    }
    const command = commands[name];
    if (!command) {
        console.error(`realize: unknown command "${name}"\n\n${HELP}`);
        return 2;
    }
    try {
        return await command(rest);
    } catch (err) {
        if (err instanceof UsageError) {
            console.error(`realize ${name}: ${err.message}`);
            return 2;
        }
        if (err instanceof WarehouseLockedError) {
            console.error(`realize ${name}: ${err.message}`);
            return 3;
        }
        throw err;
    }
}

process.exitCode = await main(process.argv.slice(2));
