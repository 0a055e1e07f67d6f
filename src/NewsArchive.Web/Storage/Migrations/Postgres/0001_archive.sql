-- The archive on PostgreSQL: the tables of the SQLite migrations 0001-0008 as they stand after
-- 0008 (each column means what it means there; comments are in those files), in one database.
-- Differences, and why:
-- * Long text that is unique or looked up (URLs up to 4,096 characters, titles up to 1,000, file
--   paths) would overflow a B-tree entry (at most ~2,700 bytes): uniqueness is on md5 of the text
--   (the stores name that expression as their ON CONFLICT target) and lookups use hash indexes.
-- * Triggers are PL/pgSQL functions; "RAISE(IGNORE)" is a BEFORE trigger that returns NULL.
-- * The index queue's writers take an advisory lock (Storage/IndexQueueStore.cs), as the
--   takedown trigger does, so seqs commit in order.

CREATE TABLE articles (
    id            bigint  PRIMARY KEY,
    permalink     text    NOT NULL UNIQUE,
    url           text    NOT NULL,
    title         text    NOT NULL,
    published     bigint,
    sort_key      bigint  NOT NULL UNIQUE,
    source        text    NOT NULL,
    language      text    NOT NULL,
    tags          text    NOT NULL,
    excerpt       text    NOT NULL,
    lead_image    text,
    text          text    NOT NULL,
    html          text    NOT NULL,
    source_path   text    NOT NULL,
    ingested_at   bigint  NOT NULL,
    updated_at    bigint  NOT NULL,
    content_hash  text,
    title_derived boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX articles_url ON articles (md5(url));
CREATE INDEX articles_by_url ON articles USING hash (url);
CREATE INDEX articles_by_source ON articles (source, sort_key);
CREATE INDEX articles_by_language ON articles (language, sort_key);
CREATE INDEX articles_unreconciled ON articles (id) WHERE content_hash IS NULL;
CREATE INDEX articles_by_title ON articles (source, md5(title), sort_key);

CREATE TABLE source_files (
    path        text    NOT NULL,
    size        bigint  NOT NULL,
    mtime       bigint  NOT NULL,
    hash        text    NOT NULL,
    status      text    NOT NULL,
    reason      text,
    article_id  bigint,
    crashes     bigint  NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX source_files_path ON source_files (md5(path));
CREATE INDEX source_files_by_path ON source_files USING hash (path);
CREATE INDEX source_files_by_article ON source_files (article_id);

CREATE TABLE index_queue (
    seq      bigserial PRIMARY KEY,
    sort_key bigint  NOT NULL,
    put      bigint  NOT NULL
);

CREATE TABLE archive_info (
    id         integer PRIMARY KEY CHECK (id = 1),
    archive_id text    NOT NULL
);
INSERT INTO archive_info (id, archive_id) VALUES (1, md5(random()::text || clock_timestamp()::text));

CREATE TABLE media (
    id           bigserial PRIMARY KEY,
    url          text    NOT NULL,
    state        text    NOT NULL DEFAULT 'queued',
    hash         text,
    content_type text,
    size         bigint,
    attempts     bigint  NOT NULL DEFAULT 0,
    last_error   text,
    next_attempt bigint,
    queued_at    bigint  NOT NULL,
    updated_at   bigint  NOT NULL
);
CREATE UNIQUE INDEX media_url ON media (md5(url));
CREATE INDEX media_by_url ON media USING hash (url);
CREATE INDEX media_by_state ON media (state, next_attempt);
CREATE INDEX media_by_hash ON media (hash) WHERE hash IS NOT NULL;

CREATE TABLE article_aliases (
    url          text   NOT NULL,
    content_hash text   NOT NULL,
    url_key      text   NOT NULL,
    permalink    text   NOT NULL,
    article_id   bigint NOT NULL
);
CREATE UNIQUE INDEX article_aliases_url ON article_aliases (md5(url), content_hash);
CREATE INDEX aliases_by_key ON article_aliases USING hash (url_key);
CREATE INDEX aliases_by_content ON article_aliases (content_hash);
CREATE INDEX aliases_by_permalink ON article_aliases (permalink);
CREATE INDEX aliases_by_article ON article_aliases (article_id);

CREATE TABLE takedowns (
    permalink   text   PRIMARY KEY,
    url         text   NOT NULL,
    source_path text   NOT NULL,
    reason      text,
    taken_at    bigint NOT NULL
);
CREATE UNIQUE INDEX takedowns_url ON takedowns (md5(url));
CREATE INDEX takedowns_by_url ON takedowns USING hash (url);

CREATE TABLE ingest_runs (
    id          bigserial PRIMARY KEY,
    trigger     text   NOT NULL,
    started_at  bigint NOT NULL,
    finished_at bigint,
    files_seen  bigint NOT NULL DEFAULT 0,
    new         bigint NOT NULL DEFAULT 0,
    updated     bigint NOT NULL DEFAULT 0,
    duplicates  bigint NOT NULL DEFAULT 0,
    unchanged   bigint NOT NULL DEFAULT 0,
    skipped     bigint NOT NULL DEFAULT 0,
    rejected    bigint NOT NULL DEFAULT 0,
    quarantined bigint NOT NULL DEFAULT 0,
    notes       text
);

CREATE TABLE article_revisions (
    id           bigserial PRIMARY KEY,
    article_id   bigint NOT NULL,
    permalink    text   NOT NULL,
    url          text   NOT NULL,
    title        text   NOT NULL,
    published    bigint,
    text         text   NOT NULL,
    html         text   NOT NULL,
    source_path  text   NOT NULL,
    content_hash text   NOT NULL UNIQUE
);
CREATE INDEX revisions_by_article ON article_revisions (article_id, published);
CREATE INDEX revisions_by_file ON article_revisions USING hash (source_path);

-- Taking down removes the article and queues its index entry's removal, in the same transaction.
CREATE FUNCTION takedown_removes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7402);
    INSERT INTO index_queue (sort_key, put) SELECT sort_key, 0 FROM articles WHERE permalink = NEW.permalink;
    DELETE FROM articles WHERE permalink = NEW.permalink;
    RETURN NULL;
END $$;
CREATE TRIGGER takedown_removes AFTER INSERT ON takedowns FOR EACH ROW EXECUTE FUNCTION takedown_removes();

-- An ingest storing a taken-down article stores nothing.
CREATE FUNCTION takedown_keeps_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM takedowns WHERE permalink = NEW.permalink OR url = NEW.url) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER takedown_keeps_out BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION takedown_keeps_out();

-- ... and the index entry it then queues becomes a removal.
CREATE FUNCTION takedown_not_indexed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.put = 1 AND NOT EXISTS (SELECT 1 FROM articles WHERE sort_key = NEW.sort_key) THEN
        NEW.put := 0;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER takedown_not_indexed BEFORE INSERT ON index_queue FOR EACH ROW EXECUTE FUNCTION takedown_not_indexed();

-- Restoring forgets the file's record, so that the next ingest of it reads it again.
CREATE FUNCTION takedown_restored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM source_files WHERE path = OLD.source_path;
    RETURN NULL;
END $$;
CREATE TRIGGER takedown_restored AFTER DELETE ON takedowns FOR EACH ROW EXECUTE FUNCTION takedown_restored();

-- A deleted article takes its earlier revisions with it.
CREATE FUNCTION article_deleted_forgets_revisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM article_revisions WHERE article_id = OLD.id;
    RETURN NULL;
END $$;
CREATE TRIGGER article_deleted_forgets_revisions AFTER DELETE ON articles FOR EACH ROW EXECUTE FUNCTION article_deleted_forgets_revisions();
