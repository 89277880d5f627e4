package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq"

	"github.com/looklook/looklook/platform/cache"
)

// TestQuickPlumbing runs every scenario, the baselines and the RSS measurement for a moment on a
// tiny catalogue: the harness must start the deployment, load it, read the caches' counters,
// clean up and print a table and JSON. Performance goals are measured by the tool, never
// asserted here.
func TestQuickPlumbing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a whole deployment and builds two programs")
	}
	dir := t.TempDir()
	opts, err := parseFlags([]string{
		"-quick", "-homestays", "400", "-comments", "2000", "-duration", "300ms", "-warmup", "0s",
		"-hot", "20", "-stampedes", "1", "-updates", "3", "-zipf-rate", "200", "-zipf-duration", "300ms",
		"-rss-homestays", "200", "-redis-requests", "2000", "-pgbench-seconds", "1",
		"-out", dir, "-json", filepath.Join(dir, "report.json"), "-profile",
	}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	if err := run(ctx, opts, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, stderr.String(), stdout.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("the JSON report does not parse: %v", err)
	}
	got := map[string]*scenarioResult{}
	for _, s := range rep.Scenarios {
		got[s.ID] = s
	}
	for _, id := range scenarioIDs() {
		if id == "RSS" {
			continue
		}
		s := got[id]
		if s == nil {
			t.Errorf("scenario %s is missing from the report", id)
			continue
		}
		if s.Error != "" {
			t.Errorf("scenario %s failed: %s", id, s.Error)
		}
		if s.Saturation != nil && s.Saturation.Requests == 0 {
			t.Errorf("scenario %s sent no request at saturation", id)
		}
		if len(s.Goals) == 0 && len(s.Figures) == 0 && s.Saturation == nil {
			t.Errorf("scenario %s produced no figure", id)
		}
	}
	if rep.RSS == nil || rep.RSS.WarmMiB <= 0 {
		t.Errorf("no launcher RSS measured (%s)", rep.RSSError)
	}
	for name, bl := range rep.Baselines {
		if bl.Skipped == "" && bl.Throughput <= 0 {
			t.Errorf("baseline %s measured nothing", name)
		}
	}
	// The table is what precedes the JSON; its rows start with the scenario and the run.
	table, _, _ := strings.Cut(stdout.String(), "\n{")
	rows := map[string]bool{}
	for _, line := range strings.Split(table, "\n") {
		if f := strings.Fields(line); len(f) >= 2 {
			rows[f[0]+" "+f[1]] = true
		}
	}
	for _, want := range []string{"scenario run", "S0 saturation", "S6 measured", "RSS all-in-one", "redis-benchmark GET"} {
		if !rows[want] {
			t.Errorf("the table lacks a row %q:\n%s", want, table)
		}
	}
	if !strings.Contains(table, "×Redis GET") {
		t.Errorf("the table lacks the ×Redis GET column:\n%s", table)
	}

	// Nothing of the run is left on the shared servers.
	runID, _ := rep.Config["run_id"].(string)
	if runID == "" {
		t.Fatalf("the report names no run id: %v", rep.Config)
	}
	admin, err := sql.Open("postgres", opts.postgresURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var left int
	if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname LIKE $1", "bench_"+runID+"_%").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d scratch databases of run %s are left", left, runID)
	}
	rdb, err := cache.NewRedisClient(opts.redisURL)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	var keys []string
	iter := rdb.Scan(ctx, 0, "bench:"+runID+":*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 0 {
		t.Errorf("Redis keys of run %s are left: %v", runID, keys)
	}
	if _, err := os.Stat(filepath.Join(dir, "cpu-S1.pprof")); err != nil {
		t.Errorf("no CPU profile of S1: %v", err)
	}
}

func TestFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args    []string
		wantErr bool
	}{
		{args: nil},
		{args: []string{"-scenarios", "s1,S4"}},
		{args: []string{"-scenarios", "S9"}, wantErr: true},
		{args: []string{"-zipf-s", "1"}, wantErr: true},
		{args: []string{"-log-level", "loud"}, wantErr: true},
		{args: []string{"-hot", "0"}, wantErr: true},
		{args: []string{"-updates", "-1"}, wantErr: true},
		{args: []string{"-duration", "0s"}, wantErr: true},
	} {
		_, err := parseFlags(tc.args, &bytes.Buffer{})
		if (err != nil) != tc.wantErr {
			t.Errorf("parseFlags(%q) error = %v, want error %v", tc.args, err, tc.wantErr)
		}
	}
	o, err := parseFlags([]string{"-quick", "-duration", "5s"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.duration != 5*time.Second || o.homestays != 3000 {
		t.Errorf("-quick with -duration: duration %v, homestays %d; want the explicit duration and quick's catalogue", o.duration, o.homestays)
	}
}
