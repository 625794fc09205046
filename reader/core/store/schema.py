"""The library database schema as numbered migrations (``PRAGMA user_version``).

Each migration runs in one transaction together with the version bump. A database whose version
is newer than :data:`SCHEMA_VERSION` is refused, never altered.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, versions, highlights, tags, the index queue
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE articles (
        id           INTEGER PRIMARY KEY,
        uuid         TEXT NOT NULL UNIQUE,
        key          TEXT NOT NULL UNIQUE,      -- natural identity, recognises a re-import
        title        TEXT NOT NULL,
        subtitle     TEXT NOT NULL DEFAULT '',
        byline       TEXT NOT NULL DEFAULT '',
        source       TEXT NOT NULL DEFAULT '',
        date         TEXT NOT NULL DEFAULT '',  -- ISO YYYY-MM-DD or ''
        url          TEXT NOT NULL DEFAULT '',
        external_id  TEXT NOT NULL DEFAULT '',
        kind         TEXT NOT NULL DEFAULT 'plain',
        body         TEXT NOT NULL,             -- normalised once (reader.core.text.normalize)
        content_hash TEXT NOT NULL,
        source_file  TEXT NOT NULL DEFAULT '',
        page_index   INTEGER NOT NULL DEFAULT 0,
        imported_at  TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        read         INTEGER NOT NULL DEFAULT 0,
        position     INTEGER NOT NULL DEFAULT 0, -- last reading position, code points
        version      INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX articles_date ON articles(date, id);
    CREATE INDEX articles_source ON articles(source, date);
    CREATE INDEX articles_hash ON articles(content_hash);

    -- earlier texts of an article, kept when a corrected version replaces them
    CREATE TABLE article_versions (
        id           INTEGER PRIMARY KEY,
        article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        version      INTEGER NOT NULL,
        title        TEXT NOT NULL,
        body         TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        replaced_at  TEXT NOT NULL,
        reason       TEXT NOT NULL DEFAULT '',
        UNIQUE (article_id, version)
    );

    CREATE TABLE highlights (
        id          INTEGER PRIMARY KEY,
        uuid        TEXT NOT NULL UNIQUE,
        article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,           -- code points into articles.body
        end         INTEGER NOT NULL,
        quote       TEXT NOT NULL,
        prefix      TEXT NOT NULL DEFAULT '',
        suffix      TEXT NOT NULL DEFAULT '',
        color       TEXT NOT NULL DEFAULT 'yellow',
        note        TEXT NOT NULL DEFAULT '',
        created     TEXT NOT NULL,
        updated     TEXT NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0, -- deletion marker (undo, sync)
        orphan      INTEGER NOT NULL DEFAULT 0, -- its text is gone from the current version
        CHECK (start >= 0 AND start <= end)
    );
    CREATE INDEX highlights_article ON highlights(article_id, start);

    CREATE TABLE tags (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );
    CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_tags_tag ON article_tags(tag_id);
    CREATE TABLE highlight_tags (
        highlight_id INTEGER NOT NULL REFERENCES highlights(id) ON DELETE CASCADE,
        tag_id       INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (highlight_id, tag_id)
    ) WITHOUT ROWID;
    CREATE INDEX highlight_tags_tag ON highlight_tags(tag_id);

    -- files seen by an import, by content: a second import of the same bytes is a no-op
    CREATE TABLE imported_files (
        sha256      TEXT PRIMARY KEY,
        path        TEXT NOT NULL,
        format      TEXT NOT NULL,
        articles    INTEGER NOT NULL,
        imported_at TEXT NOT NULL
    );

    -- changes not yet applied to the Whoosh index (drained after commit; see reader.core.library)
    CREATE TABLE index_queue (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id INTEGER NOT NULL,
        op         TEXT NOT NULL CHECK (op IN ('upsert', 'delete'))
    );
    """,
    # 2: newspaper kicker (引题) and page (版次)
    """
    ALTER TABLE articles ADD COLUMN kicker TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN page TEXT NOT NULL DEFAULT '';
    """,
    # 3: annotation imports can be undone: the state of each highlight an import changed
    # (before: NULL when the import created it; after: to leave alone what changed since)
    """
    CREATE TABLE IF NOT EXISTS annotation_imports (
        id          INTEGER PRIMARY KEY,
        path        TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        undone_at   TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE IF NOT EXISTS annotation_import_changes (
        import_id      INTEGER NOT NULL REFERENCES annotation_imports(id) ON DELETE CASCADE,
        highlight_uuid TEXT NOT NULL,
        before         TEXT,
        after          TEXT NOT NULL,
        PRIMARY KEY (import_id, highlight_uuid)
    );
    """,
    # the trash: a deleted article keeps its row (and highlights) until the trash is emptied;
    # the partial indexes keep lists and counts of the other articles fast (trashed_at is
    # stored after the body: a filter on it alone would read every body)
    """
    ALTER TABLE articles ADD COLUMN trashed_at TEXT NOT NULL DEFAULT '';
    CREATE INDEX IF NOT EXISTS articles_live_date ON articles(date, id) WHERE trashed_at = '';
    CREATE INDEX IF NOT EXISTS articles_live_source ON articles(source, date)
        WHERE trashed_at = '';
    CREATE INDEX IF NOT EXISTS articles_trashed ON articles(trashed_at) WHERE trashed_at != '';
    """,
    # 4: identity by content (reader.core.identity): what each article was imported from. body NULL
    # means "the article's current body"; it is kept once the article diverges (merge, split).
    """
    CREATE TABLE IF NOT EXISTS article_origins (
        id          INTEGER PRIMARY KEY,
        article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        hash        TEXT NOT NULL,
        title       TEXT NOT NULL,
        body        TEXT,
        source_file TEXT NOT NULL DEFAULT '',
        file_name   TEXT NOT NULL DEFAULT '',
        seq         INTEGER NOT NULL DEFAULT 0,
        key         TEXT NOT NULL DEFAULT ''  -- the source's id or URL (ext:…/url:…), if any
    );
    CREATE INDEX IF NOT EXISTS article_origins_hash ON article_origins(hash);
    CREATE INDEX IF NOT EXISTS article_origins_file ON article_origins(source_file);
    CREATE INDEX IF NOT EXISTS article_origins_name ON article_origins(file_name);
    CREATE INDEX IF NOT EXISTS article_origins_title ON article_origins(title);
    CREATE INDEX IF NOT EXISTS article_origins_article ON article_origins(article_id);
    CREATE INDEX IF NOT EXISTS article_origins_key ON article_origins(key) WHERE key != '';
    INSERT INTO article_origins(article_id, hash, title, body, source_file, file_name, seq, key)
        SELECT id, content_hash, title, NULL, source_file, '', page_index,
               CASE WHEN key LIKE 'ext:%' OR key LIKE 'url:%' THEN key ELSE '' END
        FROM articles;
    """,
    # 5: structure beside the text (reader.core.structure): block kinds and emphasis as code point
    # ranges over articles.body, images at body offsets (files under <library>/images/), and the
    # body each article's structure was made for.
    """
    CREATE TABLE IF NOT EXISTS article_blocks (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL,
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        level      INTEGER NOT NULL DEFAULT 0,
        CHECK (start >= 0 AND start <= end)
    );
    CREATE INDEX IF NOT EXISTS article_blocks_article ON article_blocks(article_id, start);
    CREATE TABLE IF NOT EXISTS article_images (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        pos        INTEGER NOT NULL,
        alt        TEXT NOT NULL DEFAULT '',
        url        TEXT NOT NULL DEFAULT '',
        file       TEXT NOT NULL DEFAULT '',
        mime       TEXT NOT NULL DEFAULT '',
        width      INTEGER NOT NULL DEFAULT 0,
        height     INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, seq)
    );
    CREATE INDEX IF NOT EXISTS article_images_file ON article_images(file);
    CREATE TABLE IF NOT EXISTS article_structure (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        body_sha   TEXT NOT NULL
    );
    """,
    # title sort by pinyin (issue 14): reader.core.text.title_sort_key(title), filled by
    # Library.fill_title_sort_keys; '' until then, and again whenever the title changes
    """
    ALTER TABLE articles ADD COLUMN title_sort TEXT NOT NULL DEFAULT '';
    CREATE INDEX IF NOT EXISTS articles_title_sort ON articles(title_sort, id);
    CREATE TRIGGER IF NOT EXISTS articles_title_sort_stale AFTER UPDATE OF title ON articles
        WHEN NEW.title != OLD.title
        BEGIN UPDATE articles SET title_sort = '' WHERE id = NEW.id; END;
    """,
    # index jobs that never finish (the process died in them) are parked, not retried forever;
    # a note or tag edit re-indexes only the article's annotation document
    """
    ALTER TABLE index_queue ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    -- 'all', or 'notes': only the article's notes and tags changed (its annotation document)
    ALTER TABLE index_queue ADD COLUMN what TEXT NOT NULL DEFAULT 'all';
    CREATE TABLE IF NOT EXISTS index_parked (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        reason     TEXT NOT NULL,
        parked_at  TEXT NOT NULL
    );
    """,
    # sync between devices (reader.core.sync, docs/SYNC.md): settings and the clock; the last
    # synced clock and value hash of each field of each synced thing; the change log waiting to be
    # written; log files written/read; remote changes that wait for what they depend on
    """
    CREATE TABLE IF NOT EXISTS sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS sync_state (
        kind   TEXT NOT NULL,
        id     TEXT NOT NULL,
        parent TEXT NOT NULL DEFAULT '',
        fields TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS sync_state_parent ON sync_state(kind, parent);
    CREATE TABLE IF NOT EXISTS sync_outbox (
        seq  INTEGER PRIMARY KEY AUTOINCREMENT,
        line TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sync_files (
        seq   INTEGER PRIMARY KEY,
        first INTEGER NOT NULL,
        last  INTEGER NOT NULL,
        name  TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sync_seen (
        name   TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        seq    INTEGER NOT NULL,
        seen_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sync_pending (
        kind  TEXT NOT NULL,
        id    TEXT NOT NULL,
        field TEXT NOT NULL,
        hlc   TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (kind, id, field)
    ) WITHOUT ROWID;
    """,
    # daily review of highlights (issue 17, reader.core.review): the FSRS card of each highlight
    # under review, keyed by the highlight's uuid (an edited or re-anchored highlight keeps its
    # schedule; no foreign key, so a synced card may arrive before its highlight), and the answers
    """
    CREATE TABLE IF NOT EXISTS review_cards (
        highlight_uuid TEXT PRIMARY KEY,
        state          INTEGER NOT NULL,          -- fsrs.State: 1 learning, 2 review, 3 relearning
        step           INTEGER,
        stability      REAL,
        difficulty     REAL,
        due            TEXT NOT NULL,             -- ISO 8601, UTC
        last_review    TEXT NOT NULL DEFAULT '',
        reps           INTEGER NOT NULL DEFAULT 0,
        retired        INTEGER NOT NULL DEFAULT 0, -- "retire": never shown again
        updated        TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS review_cards_due ON review_cards(retired, due);
    CREATE TABLE IF NOT EXISTS review_log (
        id             INTEGER PRIMARY KEY,
        highlight_uuid TEXT NOT NULL,
        answer         TEXT NOT NULL,             -- again | hard | good | easy | keep | retire
        reviewed_at    TEXT NOT NULL              -- ISO 8601, UTC
    );
    CREATE INDEX IF NOT EXISTS review_log_time ON review_log(reviewed_at);
    CREATE INDEX IF NOT EXISTS review_log_highlight ON review_log(highlight_uuid);
    """,
    # sync (reader.core.sync): a fingerprint of each synced thing's row as last compared, so
    # that comparing the whole library before a sync only looks closer at what changed
    """
    ALTER TABLE sync_state ADD COLUMN fp TEXT NOT NULL DEFAULT '';
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
