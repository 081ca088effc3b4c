-- wiresift SQLite schema, as migrations: each section below a "-- version: N"
-- line is applied once, in its own transaction, to a database whose
-- PRAGMA user_version is below N. Never edit a released section: add one.
-- Times are INTEGER microseconds since the Unix epoch (UTC), NULL when unknown.

-- version: 1
CREATE TABLE feeds (
    id                 INTEGER PRIMARY KEY,
    url                TEXT    NOT NULL UNIQUE,
    name               TEXT    NOT NULL DEFAULT '',
    tags               TEXT    NOT NULL DEFAULT '[]',  -- JSON array of strings
    interval_ns        INTEGER NOT NULL DEFAULT 0,     -- 0: adaptive
    state              TEXT    NOT NULL DEFAULT 'active'
                       CHECK (state IN ('active', 'gone', 'disabled', 'blocked')),
    etag               TEXT    NOT NULL DEFAULT '',
    last_modified      TEXT    NOT NULL DEFAULT '',
    body_hash          TEXT    NOT NULL DEFAULT '',
    last_poll_at       INTEGER,
    next_poll_at       INTEGER NOT NULL,               -- a new feed is due when added
    last_status        INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT    NOT NULL DEFAULT '',
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    identity_policy    TEXT    NOT NULL DEFAULT '',
    redirect_to        TEXT    NOT NULL DEFAULT '',
    leased_until       INTEGER                         -- NULL: not leased
);
-- ClaimDueFeeds and NextDue: polled states by due time.
CREATE INDEX feeds_due ON feeds (state, next_poll_at);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL,
    canonical_url TEXT    UNIQUE,                      -- NULL: no URL identity
    title         TEXT    NOT NULL DEFAULT '',
    author        TEXT    NOT NULL DEFAULT '',
    site_name     TEXT    NOT NULL DEFAULT '',
    language      TEXT    NOT NULL DEFAULT '',
    published     INTEGER,
    text          TEXT    NOT NULL,
    content_hash  TEXT    UNIQUE,                      -- NULL: no hash identity
    text_source   TEXT    NOT NULL DEFAULT 'page' CHECK (text_source IN ('page', 'feed')),
    fetch_error   TEXT    NOT NULL DEFAULT '',
    first_seen    INTEGER NOT NULL,
    words         INTEGER NOT NULL DEFAULT 0,
    -- Large values last: reading the columns before them skips their overflow pages.
    sketch        BLOB,                                -- dedup.Fingerprint.Sketch
    raw_html      BLOB                                 -- compressed page, for reprocess
);
-- Export and search filter on first_seen.
CREATE INDEX articles_first_seen ON articles (first_seen);

CREATE TABLE sources (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    feed_id    INTEGER NOT NULL REFERENCES feeds (id),
    item_key   TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    title      TEXT    NOT NULL DEFAULT '',
    seen_at    INTEGER NOT NULL,
    reason     TEXT    NOT NULL
               CHECK (reason IN ('first', 'same_url', 'same_hash', 'near_duplicate')),
    similarity REAL    NOT NULL,
    -- One sighting per feed item, whatever the race: the item-identity layer.
    UNIQUE (feed_id, item_key)
);
CREATE INDEX sources_article ON sources (article_id);
CREATE INDEX sources_url ON sources (url);

-- Near-duplicate lookup: articles sharing an LSH key with a new text.
CREATE TABLE dedup_keys (
    key        INTEGER NOT NULL,                       -- uint64 stored as its int64 bits
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE INDEX dedup_keys_article ON dedup_keys (article_id);

-- version: 2
-- Full-text search over title and text. An external-content index: the text
-- lives once, in articles; the triggers keep the index in step inside the
-- same transaction as every write to articles.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
-- Index the articles stored before this version.
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

-- version: 3
-- The item dates of each feed's last parsed document: a 304 carries none, and
-- the adaptive schedule needs them to keep the interval it had.
ALTER TABLE feeds ADD COLUMN item_dates TEXT NOT NULL DEFAULT '[]'; -- JSON array of Unix seconds

-- version: 4
-- Claims walk the due feeds in next_poll_at order and stop after a batch:
-- with the state first in the key, every claim sorted all due feeds.
DROP INDEX feeds_due;
CREATE INDEX feeds_polled_due ON feeds (next_poll_at) WHERE state IN ('active', 'blocked');

-- version: 5
-- Leases move to a table of their own, a few pages in all: a claim of a batch
-- of scattered feeds then writes those pages instead of every claimed feed's
-- row, which the polls' saves write again.
CREATE TABLE feed_leases (
    feed_id INTEGER PRIMARY KEY REFERENCES feeds (id) ON DELETE CASCADE,
    until   INTEGER NOT NULL                         -- the lease ends then
);
INSERT INTO feed_leases (feed_id, until)
SELECT id, leased_until FROM feeds WHERE leased_until IS NOT NULL;
ALTER TABLE feeds DROP COLUMN leased_until;

-- version: 6
-- Which sighting's page an article's text and metadata (url, canonical_url,
-- title, author, site_name, language, published) are: text_role 'current'
-- marks it, 'replaced' the ones a fuller copy replaced (at replaced_at), NULL
-- every other sighting. Before this version they were the first sighting's
-- unless a longer copy had replaced the text, which cannot be told apart now:
-- the first sighting is marked.
ALTER TABLE sources ADD COLUMN text_role TEXT CHECK (text_role IN ('current', 'replaced'));
ALTER TABLE sources ADD COLUMN replaced_at INTEGER;
UPDATE sources SET text_role = 'current'
WHERE id IN (SELECT min(id) FROM sources WHERE reason = 'first' GROUP BY article_id);
-- One page per article, whatever the race.
CREATE UNIQUE INDEX sources_current_text ON sources (article_id) WHERE text_role = 'current';

-- version: 7
-- The webhook outbox. An ingest that tells a receiver something new writes
-- its events here in the same transaction as the article, so an event
-- exists exactly when what it announces does, whatever kills the process.
-- The deliverer deletes a row once the receiver acknowledged it.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,            -- delivery order
    delivery     TEXT    NOT NULL UNIQUE,        -- X-Wiresift-Delivery: the same on every retry
    event        TEXT    NOT NULL
                 CHECK (event IN ('article.created', 'article.sighted', 'article.updated')),
    -- No foreign key: an event of an article merged away by reprocess is
    -- dropped at delivery, not deleted behind the deliverer's back.
    article_id   INTEGER NOT NULL,
    source       TEXT,                           -- the sighting (JSON), for article.sighted
    created_at   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_try_at  INTEGER NOT NULL,
    leased_until INTEGER NOT NULL DEFAULT 0,     -- a deliverer holds the event until then
    last_error   TEXT    NOT NULL DEFAULT ''
);
-- Per-article order: an event waits while an earlier one of its article is undelivered.
CREATE INDEX outbox_article ON outbox (article_id, id);
-- Claims take due events oldest-due first along this index: with a
-- receiver down none is due, and a claim learns it without reading the
-- backlog. (Order across articles does not matter; within one, the
-- NOT EXISTS of the claim keeps it.)
CREATE INDEX outbox_due ON outbox (next_try_at, id);

-- version: 8
-- New articles are indexed for search by the writer, once per transaction
-- for all the articles it inserted, after the last of its savepoints: FTS5
-- writes what it holds as a new segment at every savepoint, and the insert
-- trigger left one segment (and its merges) per article of a group commit.
-- Updates and deletes keep their triggers.
DROP TRIGGER articles_fts_insert;

-- version: 9
-- The digest of the feed list last synced (store.ListDigest): a sync of a
-- list with this digest changes nothing, and costs one read of this row
-- instead of a read of every feed. The triggers clear it (and count the
-- change in gen) whenever anyone inserts or deletes a feed or changes what a
-- sync compares (URL, name, tags, interval, disabled or not), so a digest
-- held here always describes the feeds as they are. A sync that only read
-- records its digest if gen is still what it was before the read.
CREATE TABLE feed_list_synced (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    digest BLOB,                                     -- NULL: not known
    gen    INTEGER NOT NULL DEFAULT 0                -- changes to the list so far
);
INSERT INTO feed_list_synced (id) VALUES (1);
CREATE TRIGGER feeds_list_insert AFTER INSERT ON feeds BEGIN
    UPDATE feed_list_synced SET digest = NULL, gen = gen + 1;
END;
CREATE TRIGGER feeds_list_delete AFTER DELETE ON feeds BEGIN
    UPDATE feed_list_synced SET digest = NULL, gen = gen + 1;
END;
CREATE TRIGGER feeds_list_update AFTER UPDATE OF url, name, tags, interval_ns, state ON feeds
WHEN old.url IS NOT new.url OR old.name IS NOT new.name OR old.tags IS NOT new.tags
    OR old.interval_ns IS NOT new.interval_ns OR (old.state = 'disabled') IS NOT (new.state = 'disabled')
BEGIN
    UPDATE feed_list_synced SET digest = NULL, gen = gen + 1;
END;

-- version: 10
-- The digest of the feeds file whose list the held digest is (its bytes,
-- with the build that parsed them: feedlist.SourceDigest): a poll of an
-- unchanged file then reads this row instead of parsing ten thousand lines.
-- It counts only while digest is not NULL, so the triggers above, which
-- clear digest on any other change to the feeds, void it too. A sync that
-- records digest records this with it: NULL for a list from no file (or
-- from a file with bad lines, so that every run logs them again).
ALTER TABLE feed_list_synced ADD COLUMN source_digest BLOB;  -- NULL: not known

-- version: 11
-- A poll's census (Census) counts the feeds from indexes instead of reading
-- every row: feeds_polled_due for the due and the not yet due, these two for
-- the rest. Both are partial: the save of a healthy feed's poll, which keeps
-- its state and sets no error count, writes neither.
CREATE INDEX feeds_backing_off ON feeds (next_poll_at)
WHERE consecutive_errors > 0 AND state IN ('active', 'blocked');
CREATE INDEX feeds_not_polled ON feeds (state) WHERE state IN ('disabled', 'gone');

-- version: 12
-- A feed's item dates (for its adaptive schedule, up to a few hundred bytes
-- of JSON) move out of its row into a table of their own: every poll saves
-- the feed's row, and a 304 rewrote the dates with it, which doubled the
-- database's cost of a pass over feeds of fifty items. The dates change only
-- with a document that has new items, and only then are written.
CREATE TABLE feed_item_dates (
    feed_id INTEGER PRIMARY KEY REFERENCES feeds (id) ON DELETE CASCADE,
    dates   TEXT    NOT NULL                           -- JSON array of Unix seconds
);
INSERT INTO feed_item_dates (feed_id, dates) SELECT id, item_dates FROM feeds WHERE item_dates <> '[]';
ALTER TABLE feeds DROP COLUMN item_dates;
