-- Tags as records and the derivation version of each article: SQLite's 0012_tags.sql (comments there).
CREATE TABLE tags (
    id      bigserial PRIMARY KEY,
    name    text      NOT NULL,
    folded  text      NOT NULL UNIQUE
);
CREATE TABLE article_tags (
    article_id bigint NOT NULL,
    tag_id     bigint NOT NULL,
    sort_key   bigint NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag_id, sort_key);

CREATE FUNCTION article_deleted_forgets_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM article_tags WHERE article_id = OLD.id;
    RETURN NULL;
END $$;
CREATE TRIGGER article_deleted_forgets_tags AFTER DELETE ON articles FOR EACH ROW EXECUTE FUNCTION article_deleted_forgets_tags();

ALTER TABLE articles ADD COLUMN derivation integer NOT NULL DEFAULT 0;
CREATE INDEX articles_by_derivation ON articles (derivation, id);
