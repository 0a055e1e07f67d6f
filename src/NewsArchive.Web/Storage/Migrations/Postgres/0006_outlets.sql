-- Outlets: as SQLite's 0011_outlets.sql (the comments are there).
CREATE TABLE outlets (
    id        text PRIMARY KEY,
    name_hans text NOT NULL,
    name_hant text NOT NULL,
    name_en   text NOT NULL,
    home_host text NOT NULL,
    hosts     text NOT NULL,
    aliases   text NOT NULL
);

ALTER TABLE articles ADD COLUMN outlet text NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN byline text;
ALTER TABLE archive_info ADD COLUMN outlets_fingerprint text;

DROP INDEX articles_by_source;
CREATE INDEX articles_by_outlet ON articles (outlet, sort_key);
