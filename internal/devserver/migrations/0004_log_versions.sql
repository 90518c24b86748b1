-- Runtime-log tables for databases created before they existed (a fresh
-- database gets them from 0001; an upgraded one starts with no logs), and
-- the index the version lists and latest-version lookups walk.

CREATE TABLE IF NOT EXISTS log_artifact (
    action      INTEGER PRIMARY KEY,
    action_ref  TEXT    NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS log_version (
    execution   INTEGER PRIMARY KEY,
    action      INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    created     INTEGER NOT NULL,
    sealed      INTEGER
);

CREATE INDEX IF NOT EXISTS log_version_action ON log_version (action, version DESC);
CREATE INDEX IF NOT EXISTS log_version_kind ON log_version (kind, execution DESC);
