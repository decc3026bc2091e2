-- A project of internal work has no client (PRODUCT.md: projects.client_id may be empty for internal work;
-- such a project's billing_model is non_billable, which ingest checks).
alter table canonical.projects alter column client_id drop not null;
