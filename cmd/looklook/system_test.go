package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/platform/testenv"
)

// system is the whole of looklook running in the test process through the launcher's Run.
type system struct {
	bff      string            // the BFF's base URL
	services map[string]string // internal services' base URLs
	hc       *http.Client      // h2c client
	out      *syncBuffer       // everything the launcher printed
	dataDir  string            // the launcher's data directory
	dbs      map[string]string // each service's database URL
}

type systemOptions struct {
	backend   string // "postgres" (with Redis) or "sqlite" (memory-only cache)
	seedDemo  bool
	env       map[string]string
	telemetry *telemetry.Telemetry // shared by every program; nil = the launcher's own
	metrics   net.Listener         // where to serve /metrics; nil = not served
}

// startSystem runs the launcher on fresh databases until the test ends.
func startSystem(t testing.TB, opts systemOptions) *system {
	t.Helper()
	dbs := map[string]string{}
	cfg := Config{DataDir: t.TempDir(), SeedDemo: opts.seedDemo, AdminMobiles: []string{"13800000000"}}
	for _, name := range []string{"identity", "usercenter", "travel"} {
		switch opts.backend {
		case "postgres":
			dbs[name] = testenv.PostgresURL(t)
		default:
			dbs[name] = "sqlite:" + filepath.Join(cfg.DataDir, name+".db")
		}
	}
	env := map[string]string{
		// Cheap password hashing keeps the suite fast; production costs are tested in usercenter.
		"LOOKLOOK_ARGON2_MEMORY_KIB": "1024",
		"LOOKLOOK_ARGON2_TIME":       "1",
	}
	if opts.backend == "postgres" {
		_, prefix := testenv.Redis(t)
		cfg.RedisURL = testenv.RedisURL()
		env["LOOKLOOK_REDIS_KEY_PREFIX"] = prefix
	}
	for k, v := range opts.env {
		env[k] = v
	}
	cfg.databaseURLs = dbs
	cfg.telemetry = opts.telemetry
	cfg.metricsLn = opts.metrics
	cfg.extraEnv = env
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.bffListener = ln
	sys := &system{hc: rpcclient.NewHTTPClient(), out: &syncBuffer{}, dataDir: cfg.DataDir, dbs: dbs}
	readyc := make(chan struct{})
	cfg.ready = func(bffURL string, services map[string]string) {
		sys.bff, sys.services = bffURL, services
		close(readyc)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, sys.out) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("launcher: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("launcher did not stop within 30s")
		}
	})
	select {
	case <-readyc:
	case err := <-done:
		t.Fatalf("launcher stopped: %v\n%s", err, sys.out.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("launcher not ready after 60s\n%s", sys.out.String())
	}
	return sys
}

// syncBuffer is a bytes.Buffer safe for the launcher's concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
