package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// baseline is one raw measurement the scenarios are compared with.
type baseline struct {
	Name       string  `json:"name"`
	Command    string  `json:"command,omitempty"`
	Throughput float64 `json:"throughput_rps,omitempty"`
	P50        float64 `json:"p50_ms,omitempty"`
	Latency    float64 `json:"avg_latency_ms,omitempty"`
	Skipped    string  `json:"skipped,omitempty"` // why it was not measured
}

// redisBaseline runs redis-benchmark GET with 50 connections on a 512-byte value under the
// run's key prefix (set first, deleted after), so it neither reads nor writes anyone else's
// keys; the custom-command form is used because -t get reads the fixed key "key:__rand_int__".
func redisBaseline(ctx context.Context, redisURL, prefix string, requests int) baseline {
	b := baseline{Name: "redis-benchmark GET 512 B, 50 connections"}
	bin, err := exec.LookPath("redis-benchmark")
	if err != nil {
		b.Skipped = "redis-benchmark not installed (Debian package redis-tools)"
		return b
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		b.Skipped = err.Error()
		return b
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	key := prefix + "baseline"
	if err := rdb.Set(ctx, key, bytes.Repeat([]byte("x"), 512), 10*time.Minute).Err(); err != nil {
		b.Skipped = "set baseline key: " + err.Error()
		return b
	}
	defer rdb.Del(context.WithoutCancel(ctx), key)
	host, port := "127.0.0.1", "6379"
	if h, p, ok := strings.Cut(opts.Addr, ":"); ok {
		host, port = h, p
	}
	args := []string{"-h", host, "-p", port, "-c", "50", "-n", strconv.Itoa(requests), "-q"}
	if opts.DB != 0 {
		args = append(args, "--dbnum", strconv.Itoa(opts.DB))
	}
	if opts.Password != "" {
		args = append(args, "-a", opts.Password)
	}
	args = append(args, "GET", key)
	b.Command = strings.Replace("redis-benchmark "+strings.Join(args, " "), "-a "+opts.Password+" ", "-a xxxxx ", 1)
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		b.Skipped = fmt.Sprintf("redis-benchmark failed: %v: %s", err, out)
		return b
	}
	// "GET bench:…:baseline: 74349.96 requests per second, p50=0.343 msec"
	m := regexp.MustCompile(`([0-9.]+) requests per second(?:, p50=([0-9.]+) msec)?`).FindAllSubmatch(out, -1)
	if len(m) == 0 {
		b.Skipped = "unexpected redis-benchmark output: " + string(out)
		return b
	}
	last := m[len(m)-1]
	b.Throughput, _ = strconv.ParseFloat(string(last[1]), 64)
	if len(last[2]) > 0 {
		b.P50, _ = strconv.ParseFloat(string(last[2]), 64)
	}
	return b
}

// pgbenchBaseline runs pgbench's select-only script (a prepared primary-key select) with 8
// clients on a scratch database bench_<run>_pgbench, created and dropped here.
func pgbenchBaseline(ctx context.Context, serverURL, runID string, scale int, seconds int) baseline {
	b := baseline{Name: "pgbench -S -M prepared, 8 clients"}
	bin, err := exec.LookPath("pgbench")
	if err != nil {
		b.Skipped = "pgbench not installed (Debian package postgresql-contrib)"
		return b
	}
	dbs, err := scratchDatabases(ctx, serverURL, runID, "pgbench")
	defer func() {
		if err := dropDatabases(serverURL, dbs); err != nil && b.Skipped == "" {
			b.Skipped = "drop database: " + err.Error()
		}
	}()
	if err != nil {
		b.Skipped = err.Error()
		return b
	}
	name, dbURL := "bench_"+runID+"_pgbench", dbs["pgbench"]
	// pgbench takes a connection URI where a database name goes; the command shown in the
	// report names the database only, so it never carries a password.
	runPG := func(args ...string) ([]byte, error) {
		return exec.CommandContext(ctx, bin, append(args, dbURL)...).CombinedOutput()
	}
	if out, err := runPG("-i", "-q", "-s", strconv.Itoa(scale)); err != nil {
		b.Skipped = fmt.Sprintf("pgbench -i failed: %v: %s", err, lastLines(out, 5))
		return b
	}
	args := []string{"-S", "-M", "prepared", "-c", "8", "-j", "2", "-T", strconv.Itoa(seconds)}
	b.Command = fmt.Sprintf("pgbench -i -s %d %s && pgbench %s %s", scale, name, strings.Join(args, " "), name)
	out, err := runPG(args...)
	if err != nil {
		b.Skipped = fmt.Sprintf("pgbench failed: %v: %s", err, lastLines(out, 5))
		return b
	}
	if m := regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`).FindSubmatch(out); m != nil {
		b.Throughput, _ = strconv.ParseFloat(string(m[1]), 64)
	} else {
		b.Skipped = "unexpected pgbench output: " + lastLines(out, 10)
	}
	if m := regexp.MustCompile(`latency average = ([0-9.]+) ms`).FindSubmatch(out); m != nil {
		b.Latency, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	return b
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
