-- One article, one entry (the rule: Ingest/Ingester.Identity.cs). articles.content_hash: of the folded title and text
-- (Model/UrlIdentity.ContentHash); NULL on rows from before this migration, which the next ingest
-- merges and fills in (Ingest/Ingester.Identity.cs Reconcile), a batch per transaction, so a kill
-- loses nothing. title_derived: the file had no title; the stored one was derived (Reader/ArticleReader.cs).
ALTER TABLE articles ADD COLUMN content_hash TEXT;
ALTER TABLE articles ADD COLUMN title_derived INTEGER NOT NULL DEFAULT 0;
CREATE INDEX articles_unreconciled ON articles (id) WHERE content_hash IS NULL;

-- Every original URL an article was found under (its canonical one too) with the content hash of
-- each file found there (a file whose copy is not the stored one still names the article by its
-- content), and the permalink that URL had: /a/{that permalink} answers 301 to the article's.
-- url_key: Model/UrlIdentity.Key.
CREATE TABLE article_aliases (
    url          TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    url_key      TEXT    NOT NULL,
    permalink    TEXT    NOT NULL,
    article_id   INTEGER NOT NULL,
    PRIMARY KEY (url, content_hash)
) WITHOUT ROWID;
CREATE INDEX aliases_by_key ON article_aliases (url_key);
CREATE INDEX aliases_by_content ON article_aliases (content_hash);
CREATE INDEX aliases_by_permalink ON article_aliases (permalink);
CREATE INDEX aliases_by_article ON article_aliases (article_id);
