-- A takedown follows the article's identity (Ingest/Ingester.Identity.cs), not only its exact URL
-- and permalink: every URL key it was archived under (Model/UrlIdentity.Key: http, www., tracking
-- parameters, fragment, trailing slash …) and every content hash of its texts long enough to name it
-- (Model/UrlIdentity.MinContentChars), written by the takedown command (Commands/TakedownCommand.cs).
-- As article_aliases: URL keys can be longer than a btree entry, so by md5 and hash indexes.
CREATE TABLE takedown_identity (
    kind      text NOT NULL,     -- 'url': a URL key; 'content': a content hash
    value     text NOT NULL,
    permalink text NOT NULL      -- the takedown's
);
CREATE UNIQUE INDEX takedown_identity_unique ON takedown_identity (kind, md5(value), permalink);
CREATE INDEX takedown_identity_by_value ON takedown_identity USING hash (value);
CREATE INDEX takedown_identity_by_permalink ON takedown_identity (permalink);

-- Takedowns from before: the URL keys of their articles' aliases (their texts are gone with them).
INSERT INTO takedown_identity (kind, value, permalink)
SELECT DISTINCT 'url', y.url_key, t.permalink
FROM takedowns t JOIN article_aliases x ON x.permalink = t.permalink JOIN article_aliases y ON y.article_id = x.article_id;

-- An ingest storing a new article kept out: by its permalink or URL as before, its content hash, or
-- the key of its URL (the ingest records the file's alias, with its key, before the article).
CREATE OR REPLACE FUNCTION takedown_keeps_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM takedowns WHERE permalink = NEW.permalink OR url = NEW.url)
        OR EXISTS (SELECT 1 FROM takedown_identity WHERE kind = 'content' AND value = NEW.content_hash)
        OR EXISTS (SELECT 1 FROM article_aliases x JOIN takedown_identity t ON t.kind = 'url' AND t.value = x.url_key WHERE x.article_id = NEW.id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END $$;

-- Restoring forgets what the takedown blocked.
CREATE FUNCTION takedown_identity_restored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM takedown_identity WHERE permalink = OLD.permalink;
    RETURN NULL;
END $$;
CREATE TRIGGER takedown_identity_restored AFTER DELETE ON takedowns FOR EACH ROW EXECUTE FUNCTION takedown_identity_restored();
