package testenv

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"testing"

	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/server"
)

// Serve runs services on a loopback port with the production server bootstrap (h2c, reflection,
// health, timeouts) until the test ends, and returns the base URL and an HTTP/2 client for it.
// Clients built on them speak the Connect protocol by default, or real gRPC with
// connect.WithGRPC() and gRPC-Web with connect.WithGRPCWeb().
func Serve(tb testing.TB, opts server.Options) (string, *http.Client) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("testenv: listen: %v", err)
	}
	opts.Listener = ln
	if opts.Name == "" {
		opts.Name = "test"
	}
	if opts.Logger == nil {
		opts.Logger = Logger(tb)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.Run(ctx, opts) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("testenv: server: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), rpcclient.NewHTTPClient()
}

// Logger returns a JSON logger for tests: silent unless LOOKLOOK_TEST_LOG=1, so failures are
// readable but the logs are there when debugging.
func Logger(tb testing.TB) *slog.Logger {
	var w io.Writer = io.Discard
	if os.Getenv("LOOKLOOK_TEST_LOG") == "1" {
		w = os.Stderr
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
