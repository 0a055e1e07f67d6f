-- How many ingests died while this file was being parsed (Ingest/ParseJournal.cs): a file with
-- one such death is parsed again alone, after the others; a second one quarantines it.
ALTER TABLE source_files ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
