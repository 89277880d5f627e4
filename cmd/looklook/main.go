// Command looklook runs the whole system in one process: identity, usercenter and travel on
// loopback ports, and the BFF (public API and web app) on LOOKLOOK_ADDR. By default it keeps its
// data in SQLite files under LOOKLOOK_DATA_DIR and caches in memory only; set
// LOOKLOOK_POSTGRES_URL and LOOKLOOK_REDIS_URL to use PostgreSQL and Redis. See the README.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/looklook/looklook/platform/config"
)

func main() {
	env := config.FromOS()
	cfg := ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "looklook: invalid configuration:\n"+err.Error())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "looklook:", err)
		os.Exit(1)
	}
}
