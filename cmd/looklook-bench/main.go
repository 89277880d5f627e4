// Command looklook-bench measures looklook under load and compares it with raw baselines
// measured in the same run: redis-benchmark GET (50 connections, 512-byte value) and pgbench
// prepared primary-key selects.
//
// It starts a deployment in its own process (identity, usercenter, two travel instances and
// their BFFs, plus variants for the L1-off and hit-ratio scenarios) on scratch PostgreSQL
// databases named bench_<run>_* and a private Redis key prefix, fills the travel database with
// the travel-gen generator, runs every scenario at fixed arrival rates (an open model: a slow
// server makes requests queue, and the queueing shows in the percentiles) and at saturation, and
// prints a table and JSON. Scratch databases and keys are removed at the end.
//
//	go run ./cmd/looklook-bench                 # the full run docs/benchmarks.md reports
//	go run ./cmd/looklook-bench -quick          # every scenario briefly (< 60 s), for smoke tests
//	go run ./cmd/looklook-bench -scenarios S1,S4 -duration 5s
//
// Run it from the repository: it builds travel-gen and the all-in-one launcher from source.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	if err := run(ctx, opts, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "looklook-bench:", err)
		os.Exit(1)
	}
}
