// Command usercenter runs the usercenter service alone; see package usercenter for its
// configuration.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/redis/go-redis/v9"

	"github.com/looklook/looklook/platform/cache"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/services/usercenter"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// JSON logs on stdout, each line carrying the trace id of the request it belongs to.
	logger := telemetry.NewLogger(os.Stdout, slog.LevelInfo)
	redis.SetLogger(cache.NewRedisLogger(logger))
	env := config.FromOS()
	cfg := usercenter.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		logger.Error("invalid configuration", "error", err)
		os.Exit(1)
	}
	if err := usercenter.Run(ctx, cfg, logger); err != nil {
		logger.Error("usercenter stopped", "error", err)
		os.Exit(1)
	}
}
