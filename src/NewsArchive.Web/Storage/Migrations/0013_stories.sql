-- Story threads (docs/stories.md): story_id is the thread's smallest article id (an article
-- alone in its thread has its own id); NULL until threading has seen the article, which the
-- ingest does after its files are in (Ingest/StoryThreading). An article whose text changes is
-- seen again (ArticleStore.Put sets NULL).
ALTER TABLE articles ADD COLUMN story_id INTEGER;
CREATE INDEX articles_by_story ON articles (story_id, sort_key);
CREATE INDEX articles_unthreaded ON articles (published) WHERE story_id IS NULL;

-- The terms' document frequencies threading weighs with (Reader/StoryWeights): one row, written
-- by a rebuild, read by every ingest until the next.
CREATE TABLE story_weights (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    articles INTEGER NOT NULL,
    terms    BLOB    NOT NULL
);
