-- Story threads count jieba.NET's words, no longer character pairs (docs/stories.md): the stored
-- weights are of the old terms. Without them, the next ingest (or `stories rebuild`) computes them
-- again and threads the whole archive under the new rule.
DELETE FROM story_weights;
