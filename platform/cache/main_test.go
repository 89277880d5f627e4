package cache

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

func TestMain(m *testing.M) {
	// The outage tests make go-redis log every failed dial; route it like a service would.
	var w io.Writer = io.Discard
	if os.Getenv("LOOKLOOK_TEST_LOG") == "1" {
		w = os.Stderr
	}
	redis.SetLogger(NewRedisLogger(slog.New(slog.NewJSONHandler(w, nil))))
	os.Exit(m.Run())
}

func TestRedisLoggerIsRateLimited(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := NewRedisLogger(slog.New(slog.NewJSONHandler(&buf, nil)))
	for range 100 {
		l.Printf(context.Background(), "dial %s: %s", "127.0.0.1:1", "connection refused")
	}
	if n := strings.Count(buf.String(), "\n"); n != 1 {
		t.Fatalf("100 lines within a second logged %d lines, want 1:\n%s", n, buf.String())
	}
	if !strings.Contains(buf.String(), "dial 127.0.0.1:1: connection refused") {
		t.Errorf("log line lost the message: %s", buf.String())
	}
}
