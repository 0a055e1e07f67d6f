-- Story threads: as SQLite's 0013_stories.sql (the comments are there).
ALTER TABLE articles ADD COLUMN story_id bigint;
CREATE INDEX articles_by_story ON articles (story_id, sort_key);
CREATE INDEX articles_unthreaded ON articles (published) WHERE story_id IS NULL;

CREATE TABLE story_weights (
    id       integer PRIMARY KEY CHECK (id = 1),
    articles integer NOT NULL,
    terms    bytea   NOT NULL
);
