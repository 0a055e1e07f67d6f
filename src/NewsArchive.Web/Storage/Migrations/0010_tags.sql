-- Tags as records: one row per tag (folded as search folds text, so 臺灣 and 台湾 are one tag,
-- shown under the name it first arrived with) and one per article and tag, with the article's
-- sort_key so a tag's page is a walk down one index. Written with the article (ArticleStore.Put).
CREATE TABLE tags (
    id      INTEGER PRIMARY KEY,
    name    TEXT    NOT NULL,
    folded  TEXT    NOT NULL UNIQUE
);
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL,
    tag_id     INTEGER NOT NULL,
    sort_key   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_by_tag ON article_tags (tag_id, sort_key);

CREATE TRIGGER article_deleted_forgets_tags AFTER DELETE ON articles
BEGIN
    DELETE FROM article_tags WHERE article_id = OLD.id;
END;

-- Which version of the values derived from the stored text (the excerpt, the tag rows) a row has:
-- rows below Reader.ArticleReader.Derivation are derived again by the ingest (Ingester.Rederive).
ALTER TABLE articles ADD COLUMN derivation INTEGER NOT NULL DEFAULT 0;
CREATE INDEX articles_by_derivation ON articles (derivation, id);
