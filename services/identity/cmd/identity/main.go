// Command identity runs the identity service; see package identity for its configuration.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/services/identity"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// JSON logs on stdout, each line carrying the trace id of the request it belongs to.
	logger := telemetry.NewLogger(os.Stdout, slog.LevelInfo)

	env := config.FromOS()
	cfg := identity.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		logger.Error("invalid configuration", "error", err)
		os.Exit(1)
	}
	if err := identity.Run(ctx, cfg, logger); err != nil {
		logger.Error("identity failed", "error", err)
		os.Exit(1)
	}
}
