-- Who changed a saved quote. created_by is the caller that saved it (server/plugins/auth.ts actorOf: 'local',
-- '<role>:<person_id>' or '<role>:token-<id>'; null for quotes saved before this was recorded). links is every
-- change of the quote's project since, in order: when, who, and the project it set (null: unlinked). It is
-- kept in the quote's row so that a change and its record are one statement: a quote is saved and linked by
-- one autocommitted statement, not a warehouse transaction (server/api/quotes.ts).

alter table quotes.quotes add column created_by varchar;

alter table quotes.quotes add column links struct(changed_at timestamptz, changed_by varchar, project_id varchar)[] default [];
