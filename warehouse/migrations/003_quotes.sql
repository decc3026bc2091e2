-- Saved quotes. POST /api/quotes stores each quote it was asked to save: the
-- inputs as given (deal lines, target margin, confidence, proposed price), the engine's answer as it was
-- returned (P10…P90 of hours, cost and price, the distribution and the price curve), when it was made and on
-- which data (as_of, the firm's reporting currency). project_id links a quote to the project it became, so
-- the project's closeout can compare the quote with the actuals once the project closes. Quotes are never
-- rebuilt by `models build` or an ingest: they record what was quoted at the time.

create schema if not exists quotes;

create sequence quotes.quote_seq start 1;

create table quotes.quotes (
    quote_id        bigint primary key default nextval('quotes.quote_seq'),
    created_at      timestamptz not null default now(),
    name            varchar,             -- a label for the list (deal or client name), free text
    project_type    varchar not null,
    billing_model   varchar not null,
    client_id       varchar,             -- the prospective client, when known
    project_id      varchar,             -- the project this quote became (closeout compares them)
    target_margin   double not null check (target_margin >= 0 and target_margin < 1),
    confidence      double not null check (confidence > 0 and confidence < 1),
    price           double,              -- the proposed price evaluated, if any
    as_of           date not null,       -- history used: projects closed before this date
    currency        varchar not null,    -- the reporting currency of cost and price
    inputs          varchar not null,    -- JSON: the request body (lines and settings) as accepted
    result          varchar not null     -- JSON: the quote as returned (models/quote/engine.ts QuoteResult + cost rates)
);
