-- Earlier revisions of an article (the rule: Ingest/Ingester.Identity.cs). The articles row is the
-- newest copy (by date, then Model/UrlIdentity.Compare); each earlier one is kept here whole, out of
-- the index, lists and feeds. permalink: the one its URL had (in article_aliases too, so /a/{it}
-- answers 301 to the article).
CREATE TABLE article_revisions (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL,
    permalink    TEXT    NOT NULL,
    url          TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    published    INTEGER,
    text         TEXT    NOT NULL,
    html         TEXT    NOT NULL,
    source_path  TEXT    NOT NULL,
    content_hash TEXT    NOT NULL UNIQUE
);
CREATE INDEX revisions_by_article ON article_revisions (article_id, published);

-- Candidates for a revision: the same source under the same title, newest first (an indexed lookup,
-- never a scan: with (source, title) alone the planner took articles_by_source for its order and
-- read every article of the source, which made a dev ingest 1.45x slower).
CREATE INDEX articles_by_title ON articles (source, title, sort_key);

-- A merge points the files of the article it drops at the one it keeps (Ingester.Reconcile).
CREATE INDEX source_files_by_article ON source_files (article_id);

-- An article deleted (no file holds it any more, taken down, merged into another after its
-- revisions moved) takes its earlier revisions with it: removed text is not served as history.
CREATE TRIGGER article_deleted_forgets_revisions AFTER DELETE ON articles
BEGIN
    DELETE FROM article_revisions WHERE article_id = OLD.id;
END;
