// Package database opens the SQL databases looklook services keep their Ent models in.
//
// Production and CI use PostgreSQL through github.com/lib/pq. The all-in-one launcher defaults to
// SQLite through modernc.org/sqlite, a pure-Go driver, so it runs with no servers and no cgo.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"
	"modernc.org/sqlite"
)

func init() {
	// Ent's SQLite dialect expects a driver registered as "sqlite3"; modernc registers itself as
	// "sqlite". Registering the pure-Go driver under Ent's name avoids cgo's mattn/go-sqlite3.
	sql.Register("sqlite3", &sqlite.Driver{})
}

// Open connects to the database a URL names and checks it answers:
//
//	postgres://user@host:5432/db?sslmode=disable   PostgreSQL (postgresql:// works too)
//	sqlite:/path/to/file.db                        SQLite file, created if missing
//
// The returned driver is what an Ent client is built on.
func Open(ctx context.Context, rawURL string) (*entsql.Driver, error) {
	var (
		db      *sql.DB
		dialect string
		err     error
	)
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		dialect = dialectPostgres
		db, err = sql.Open("postgres", rawURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		db.SetConnMaxIdleTime(5 * time.Minute)
	case strings.HasPrefix(rawURL, "sqlite:"):
		dialect = dialectSQLite
		path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "//")
		if path == "" {
			return nil, errors.New("sqlite URL has no file path")
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create directory for %s: %w", path, err)
		}
		dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		db, err = sql.Open("sqlite3", dsn)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// SQLite has one writer; a single connection makes writers queue in Go instead of
		// failing with SQLITE_BUSY, and is plenty for the single-process launcher.
		db.SetMaxOpenConns(1)
	default:
		return nil, fmt.Errorf("unsupported database URL %q: want postgres://... or sqlite:PATH", Redact(rawURL))
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("connect to %s: %w", Redact(rawURL), err)
	}
	return entsql.OpenDB(dialect, db), nil
}

const (
	dialectPostgres = dialect.Postgres
	dialectSQLite   = dialect.SQLite
)

// EnsurePostgresDatabase creates the named database on the server serverURL points at, unless it
// exists, and returns the URL of that database. The launcher uses it to give each service its own
// database on one server.
func EnsurePostgresDatabase(ctx context.Context, serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", fmt.Errorf("parse postgres URL: %w", err)
	}
	db, err := sql.Open("postgres", serverURL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", fmt.Errorf("connect to %s: %w", Redact(serverURL), err)
	}
	if !exists {
		if _, err := db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
			var pqErr *pq.Error
			// Another process may have created it between the check and now.
			if !errors.As(err, &pqErr) || pqErr.Code != "42P04" {
				return "", fmt.Errorf("create database %s: %w", name, err)
			}
		}
	}
	u.Path = "/" + name
	return u.String(), nil
}

// Redact hides the password of a URL for logs and errors.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
