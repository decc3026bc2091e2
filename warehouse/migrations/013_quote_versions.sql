-- Versions of a saved quote. A saved quote never changes (only its project link does, 005): editing it saves a
-- new quote, a version of the same deal. series_id is the first quote of the deal's versions (its own id for a
-- first version), version counts them from 1 in the order they were saved, and revises is the version the new
-- one was edited from. copied_from is the quote a duplicate started from: a duplicate is a deal of its own
-- (a new series), so its origin is recorded but it is not a version. Quotes saved before versions existed are
-- each the first version of their own series.

alter table quotes.quotes add column series_id bigint;

alter table quotes.quotes add column version integer;

alter table quotes.quotes add column revises bigint;

alter table quotes.quotes add column copied_from bigint;

update quotes.quotes set series_id = quote_id, version = 1 where series_id is null;
