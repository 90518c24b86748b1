package devserver

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // Pure-Go SQLite driver registered as "sqlite".
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Schema versions stored in PRAGMA user_version.
const (
	schemaTables  = 1 // tables exist, no indexes yet (seeding runs here)
	schemaIndexes = 4 // indexes built (0003 upgrades 0002's first version, 0004 adds the log tables): ready to serve
)

// openDB opens (creating if needed) the SQLite database at path with WAL
// journaling and a busy timeout, and applies the table migration.
func openDB(ctx context.Context, path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(OFF)")
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %q: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open sqlite %q: %w", path, err)
	}
	if err := migrate(ctx, db, schemaTables); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// migrate applies every embedded migration whose number is above the
// database's user_version and not above target.
func migrate(ctx context.Context, db *sql.DB, target int) error {
	var current int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad name: %w", base, err)
		}
		if num <= current || num > target {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if err := applyMigration(ctx, db, num, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, num int, body string) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(num)); err != nil {
		return fmt.Errorf("set version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// isEmpty reports whether the database holds no events and no packs yet.
func isEmpty(ctx context.Context, db *sql.DB) (bool, error) {
	var n int
	if err := db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM pack) + (SELECT count(*) FROM event)").Scan(&n); err != nil {
		return false, fmt.Errorf("check empty database: %w", err)
	}
	return n == 0, nil
}

// analyze gathers the query planner's statistics after a seed, or when the
// database has none yet. The statistics are stored in the file, so
// reopening an analyzed database skips it: ANALYZE is most of the cost of
// opening a seeded file (tests copy one seeded file for every server).
func analyze(ctx context.Context, db *sql.DB, seeded bool) error {
	if !seeded {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").Scan(&n); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		if n > 0 {
			return nil
		}
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
