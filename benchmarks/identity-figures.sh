#!/bin/sh
# The identity figures of an ingested archive (issue #17): files, articles, aliases, revisions,
# derived titles. usage: identity-figures.sh DB   (needs the sqlite3 shell)
set -eu
db=${1:?usage: identity-figures.sh DB}
sqlite3 -readonly "$db" "
SELECT 'files ' || (SELECT count(*) FROM source_files)
  || ', articles ' || (SELECT count(*) FROM articles)
  || ', aliases ' || (SELECT count(DISTINCT x.url) FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE x.url <> a.url)
  || ', revisions ' || (SELECT count(*) FROM article_revisions)
  || ', articles with revisions ' || (SELECT count(DISTINCT article_id) FROM article_revisions)
  || ', derived titles ' || (SELECT count(*) FROM articles WHERE title_derived = 1)
  || ', rejected ' || (SELECT count(*) FROM source_files WHERE status = 'rejected');"
