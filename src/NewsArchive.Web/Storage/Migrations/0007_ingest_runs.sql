-- One row per ingest run (start-up, a watcher's batch, the ingest command), for the status
-- command, the operator page and the metrics: written when the run starts, completed when it ends
-- (a run without finished_at died or is still going).
CREATE TABLE ingest_runs (
    id          INTEGER PRIMARY KEY,
    trigger     TEXT    NOT NULL,       -- startup | watcher | command
    started_at  INTEGER NOT NULL,       -- Unix ms
    finished_at INTEGER,
    files_seen  INTEGER NOT NULL DEFAULT 0,
    new         INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    quarantined INTEGER NOT NULL DEFAULT 0,  -- of the rejected: files that crashed the parser twice
    notes       TEXT                    -- e.g. the error that ended a failed run
);
