-- The outlet of an article by its sort_key, without reading the row: a pass over a query's matches
-- (trends' counts, the search facets) joins each match to its outlet, and outlet is the row's last
-- column, after the text and html in their overflow pages (SqliteSearchIndex.OutletsOfMatches names
-- this index: the planner would take sort_key's own unique index and read the rows).
CREATE INDEX articles_outlet_by_sort_key ON articles (sort_key, outlet);
