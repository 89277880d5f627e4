// Package testenv gives tests real backing services: a fresh PostgreSQL database, a fresh SQLite
// file or a private Redis key prefix per test, removed when the test ends.
//
// The servers default to the ones on localhost (PostgreSQL on 5432 with trust auth, Redis on
// 6379); LOOKLOOK_TEST_POSTGRES_URL and LOOKLOOK_TEST_REDIS_URL point elsewhere. Tests never
// flush or reconfigure those shared servers: each one only touches what it created.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"
)

// DefaultPostgresURL is the server used when LOOKLOOK_TEST_POSTGRES_URL is unset.
const DefaultPostgresURL = "postgres://postgres@localhost:5432/postgres?sslmode=disable"

// DefaultRedisURL is the server used when LOOKLOOK_TEST_REDIS_URL is unset.
const DefaultRedisURL = "redis://localhost:6379/0"

// PostgresServerURL is the URL of the PostgreSQL server tests use.
func PostgresServerURL() string {
	if v := os.Getenv("LOOKLOOK_TEST_POSTGRES_URL"); v != "" {
		return v
	}
	return DefaultPostgresURL
}

// RedisURL is the URL of the Redis server tests use.
func RedisURL() string {
	if v := os.Getenv("LOOKLOOK_TEST_REDIS_URL"); v != "" {
		return v
	}
	return DefaultRedisURL
}

// Suffix returns a random hex string for unique names.
func Suffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9]+`)

// PostgresURL creates an empty database for the test and returns its URL. The database is
// dropped when the test ends, whatever connections are still open.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	server := PostgresServerURL()
	name := unsafeChars.ReplaceAllString(strings.ToLower(tb.Name()), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	name = "t_" + strings.Trim(name, "_") + "_" + Suffix()

	admin, err := sql.Open("postgres", server)
	if err != nil {
		tb.Fatalf("testenv: open postgres: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		_ = admin.Close()
		tb.Fatalf("testenv: create database (is PostgreSQL running at %s?): %v", server, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			tb.Errorf("testenv: drop database %s: %v", name, err)
		}
		_ = admin.Close()
	})
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatalf("testenv: parse %s: %v", server, err)
	}
	u.Path = "/" + name
	return u.String()
}

// SQLiteURL returns the URL of a new SQLite file in the test's temporary directory.
func SQLiteURL(tb testing.TB) string {
	tb.Helper()
	return "sqlite:" + filepath.Join(tb.TempDir(), "test.db")
}

// Backend is a database a store suite runs against.
type Backend struct {
	// Name is "postgres" or "sqlite".
	Name string
	// URL opens a fresh, empty database for one test.
	URL func(testing.TB) string
}

// Backends are the databases every store test suite runs against.
func Backends() []Backend {
	return []Backend{
		{Name: "postgres", URL: PostgresURL},
		{Name: "sqlite", URL: SQLiteURL},
	}
}

// Redis returns a client of the test Redis server and a key prefix no other test uses. Keys
// under the prefix are deleted when the test ends.
func Redis(tb testing.TB) (*redis.Client, string) {
	tb.Helper()
	opts, err := redis.ParseURL(RedisURL())
	if err != nil {
		tb.Fatalf("testenv: parse redis URL: %v", err)
	}
	client := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		tb.Fatalf("testenv: ping redis (is it running at %s?): %v", RedisURL(), err)
	}
	prefix := fmt.Sprintf("test:%s:", Suffix())
	tb.Cleanup(func() {
		defer client.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := client.Scan(ctx, 0, prefix+"*", 500).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			tb.Errorf("testenv: scan redis keys %s*: %v", prefix, err)
			return
		}
		for len(keys) > 0 {
			n := min(len(keys), 500)
			if err := client.Del(ctx, keys[:n]...).Err(); err != nil {
				tb.Errorf("testenv: delete redis keys: %v", err)
				return
			}
			keys = keys[n:]
		}
	})
	return client, prefix
}
