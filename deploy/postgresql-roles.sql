-- PostgreSQL roles with least privilege. Run as a superuser once, then run migrations as
-- forpost_owner and the app, the worker and cron as forpost_app.
CREATE ROLE forpost_owner LOGIN PASSWORD 'change-me-owner';
CREATE ROLE forpost_app LOGIN PASSWORD 'change-me' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
CREATE DATABASE forpost OWNER forpost_owner ENCODING 'UTF8' TEMPLATE template0;
\connect forpost
REVOKE ALL ON DATABASE forpost FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE forpost TO forpost_app;
GRANT USAGE ON SCHEMA public TO forpost_app;
-- Rows only: the app cannot create, alter or drop tables.
ALTER DEFAULT PRIVILEGES FOR ROLE forpost_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO forpost_app;
ALTER DEFAULT PRIVILEGES FOR ROLE forpost_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO forpost_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO forpost_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO forpost_app;
