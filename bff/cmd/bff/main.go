// Command bff serves looklook's public API. Configuration is read from LOOKLOOK_* environment
// variables; see the README.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/looklook/looklook/bff"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/telemetry"
)

func main() {
	// JSON logs on stdout, each line carrying the trace id of the request it belongs to.
	logger := telemetry.NewLogger(os.Stdout, slog.LevelInfo)
	env := config.FromOS()
	cfg := bff.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		logger.Error("invalid configuration", "error", err.Error())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := bff.Run(ctx, cfg, logger); err != nil {
		logger.Error("bff stopped", "error", err.Error())
		os.Exit(1)
	}
}
