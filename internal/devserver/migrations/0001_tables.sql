-- Schema close to Attune's tables (pack, trigger, sensor, action, rule, event,
-- enforcement, execution). Timestamps are INTEGER microseconds since the Unix
-- epoch (UTC); JSON documents are TEXT holding compact JSON.

CREATE TABLE pack (
    id          INTEGER PRIMARY KEY,
    ref         TEXT    NOT NULL UNIQUE,
    label       TEXT    NOT NULL,
    description TEXT,
    version     TEXT    NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL
);

CREATE TABLE sensor (
    id            INTEGER PRIMARY KEY,
    ref           TEXT    NOT NULL UNIQUE,
    pack          INTEGER REFERENCES pack (id),
    pack_ref      TEXT,
    label         TEXT    NOT NULL,
    description   TEXT,
    entrypoint    TEXT    NOT NULL,
    runtime       INTEGER NOT NULL,
    runtime_ref   TEXT    NOT NULL,
    enabled       INTEGER NOT NULL,
    param_schema  TEXT,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL
);

CREATE TABLE "trigger" (
    id               INTEGER PRIMARY KEY,
    ref              TEXT    NOT NULL UNIQUE,
    pack             INTEGER REFERENCES pack (id),
    pack_ref         TEXT,
    label            TEXT    NOT NULL,
    description      TEXT,
    enabled          INTEGER NOT NULL,
    param_schema     TEXT,
    out_schema       TEXT,
    sensor           INTEGER REFERENCES sensor (id),
    sensor_ref       TEXT,
    webhook_enabled  INTEGER NOT NULL,
    webhook_key      TEXT,
    created          INTEGER NOT NULL,
    updated          INTEGER NOT NULL
);

CREATE TABLE action (
    id              INTEGER PRIMARY KEY,
    ref             TEXT    NOT NULL UNIQUE,
    pack            INTEGER NOT NULL REFERENCES pack (id),
    pack_ref        TEXT    NOT NULL,
    label           TEXT    NOT NULL,
    description     TEXT,
    timeout_seconds INTEGER NOT NULL,
    is_workflow     INTEGER NOT NULL,
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL
);

CREATE TABLE rule (
    id                  INTEGER PRIMARY KEY,
    ref                 TEXT    NOT NULL UNIQUE,
    pack                INTEGER NOT NULL REFERENCES pack (id),
    pack_ref            TEXT    NOT NULL,
    label               TEXT    NOT NULL,
    description         TEXT,
    action              INTEGER REFERENCES action (id),
    action_ref          TEXT    NOT NULL,
    "trigger"           INTEGER REFERENCES "trigger" (id),
    trigger_ref         TEXT    NOT NULL,
    conditions          TEXT    NOT NULL,
    action_params       TEXT    NOT NULL,
    trigger_params      TEXT    NOT NULL,
    enabled             INTEGER NOT NULL,
    permission_set_refs TEXT,
    trace_tag_template  TEXT,
    created             INTEGER NOT NULL,
    updated             INTEGER NOT NULL
);

CREATE TABLE event (
    id          INTEGER PRIMARY KEY,
    "trigger"   INTEGER,
    trigger_ref TEXT    NOT NULL,
    config      TEXT,
    payload     TEXT,
    source      INTEGER,
    source_ref  TEXT,
    rule        INTEGER,
    rule_ref    TEXT,
    trace_tag   TEXT,
    created     INTEGER NOT NULL
);

CREATE TABLE enforcement (
    id          INTEGER PRIMARY KEY,
    rule        INTEGER,
    rule_ref    TEXT    NOT NULL,
    trigger_ref TEXT    NOT NULL,
    config      TEXT,
    event       INTEGER,
    status      TEXT    NOT NULL,
    payload     TEXT,
    condition   TEXT    NOT NULL,
    conditions  TEXT    NOT NULL,
    trace_tag   TEXT,
    created     INTEGER NOT NULL,
    resolved_at INTEGER
);

CREATE TABLE execution (
    id                        INTEGER PRIMARY KEY,
    action                    INTEGER,
    action_ref                TEXT    NOT NULL,
    pack_name                 TEXT    NOT NULL,
    config                    TEXT,
    parent                    INTEGER,
    enforcement               INTEGER,
    rule_ref                  TEXT,
    trigger_ref               TEXT,
    executor                  INTEGER,
    worker                    INTEGER,
    status                    TEXT    NOT NULL,
    result                    TEXT,
    trace_tag                 TEXT,
    timeout_seconds           INTEGER,
    started_at                INTEGER,
    workflow_task             TEXT,
    original_execution        INTEGER,
    artifact_retention_policy TEXT,
    artifact_retention_limit  INTEGER,
    created                   INTEGER NOT NULL,
    updated                   INTEGER NOT NULL
);

-- Runtime-log storage (LOGS.md §1). Log bytes are never stored: they are
-- generated from (seed, execution) on demand. log_artifact holds the two
-- artifacts of each action that ever started (ids 2·action-1 for stdout and
-- 2·action for stderr); log_version one row per execution whose log versions
-- still exist (both streams share the row), kind picks the generated
-- content, sealed is when the worker sealed the streams (NULL = pending).
CREATE TABLE log_artifact (
    action      INTEGER PRIMARY KEY,
    action_ref  TEXT    NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL
);

CREATE TABLE log_version (
    execution   INTEGER PRIMARY KEY,
    action      INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    created     INTEGER NOT NULL,
    sealed      INTEGER
);
