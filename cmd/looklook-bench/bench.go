package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/telemetry"
)

// options are the command-line flags.
type options struct {
	postgresURL    string
	redisURL       string
	repo           string
	outDir         string
	jsonPath       string
	scenarios      map[string]bool
	quick          bool
	homestays      int
	comments       int
	duration       time.Duration
	warmup         time.Duration
	concurrency    int
	hotSet         int
	stampedeRounds int
	invalidations  int
	s4Rate         float64
	zipfS          float64
	zipfRate       float64
	zipfDuration   time.Duration
	zipfL1Items    int64 // set from the catalogue: 10% of the homestays
	rssHomestays   int
	redisRequests  int
	pgbenchScale   int
	pgbenchSeconds int
	baselines      bool
	profile        bool
	keep           bool
	logLevel       slog.Level
}

// scenarioIDs lists every scenario in the order they run.
func scenarioIDs() []string { return []string{"S0", "S1", "S1b", "S2", "S3", "S4", "S5", "S6", "RSS"} }

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("looklook-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	var scenarios, level string
	env := config.FromOS()
	fs.StringVar(&o.postgresURL, "postgres", env.String("LOOKLOOK_BENCH_POSTGRES_URL", "postgres://postgres@localhost:5432/postgres?sslmode=disable"), "PostgreSQL server; scratch databases bench_<run>_* are created on it and dropped at the end")
	fs.StringVar(&o.redisURL, "redis", env.String("LOOKLOOK_BENCH_REDIS_URL", "redis://localhost:6379/0"), "Redis server; keys live under bench:<run>: and are deleted at the end (never FLUSH)")
	fs.StringVar(&o.repo, "repo", "", "repository root, to build travel-gen and the launcher (default: the go.work above the current directory)")
	fs.StringVar(&o.outDir, "out", "", "directory for the built programs, the deployment's log and profiles (default: a temporary directory, removed at the end unless -profile or -keep)")
	fs.StringVar(&o.jsonPath, "json", "", "also write the JSON report to this file (it is always printed after the table)")
	fs.StringVar(&scenarios, "scenarios", strings.Join(scenarioIDs(), ","), "comma-separated scenarios to run")
	fs.BoolVar(&o.quick, "quick", false, "every scenario briefly on a small data set (under a minute), for smoke tests")
	fs.IntVar(&o.homestays, "homestays", 100_000, "homestays to generate")
	fs.IntVar(&o.comments, "comments", 1_000_000, "comments to generate")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each measured run")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured run before each measured one")
	fs.IntVar(&o.concurrency, "concurrency", 50, "callers in a saturation run (as redis-benchmark's 50 connections)")
	fs.IntVar(&o.hotSet, "hot", 1000, "cached homestays the hot scenarios cycle through")
	fs.IntVar(&o.stampedeRounds, "stampedes", 5, "S2 rounds, each on another cold homestay")
	fs.IntVar(&o.invalidations, "updates", 200, "S5 updates")
	fs.Float64Var(&o.s4Rate, "s4-rate", 0, "S4's fixed rate (default: a quarter of S1's saturated throughput)")
	fs.Float64Var(&o.zipfS, "zipf-s", 1.01, "S6's Zipf exponent (must be > 1)")
	fs.Float64Var(&o.zipfRate, "zipf-rate", 3000, "S6's fixed rate")
	fs.DurationVar(&o.zipfDuration, "zipf-duration", 20*time.Second, "S6's warm-up and measured run, each")
	fs.IntVar(&o.rssHomestays, "rss-homestays", 100_000, "homestays in the launcher's catalogue for the RSS measurement")
	fs.IntVar(&o.redisRequests, "redis-requests", 200_000, "redis-benchmark -n")
	fs.IntVar(&o.pgbenchScale, "pgbench-scale", 10, "pgbench -i -s")
	fs.IntVar(&o.pgbenchSeconds, "pgbench-seconds", 10, "pgbench -T")
	fs.BoolVar(&o.baselines, "baselines", true, "measure the Redis and PostgreSQL baselines")
	fs.BoolVar(&o.profile, "profile", false, "write a CPU profile of each saturation run to -out")
	fs.BoolVar(&o.keep, "keep", false, "keep the scratch databases and keys (for inspection)")
	fs.StringVar(&level, "log-level", "warn", "the deployment's log level (info logs every request)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if err := o.logLevel.UnmarshalText([]byte(level)); err != nil {
		fmt.Fprintln(stderr, "-log-level: want debug, info, warn or error")
		return o, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.quick {
		// Every figure is still produced, from short runs on a small catalogue.
		quick := map[string]string{
			"homestays": "3000", "comments": "20000", "duration": "1.5s", "warmup": "300ms",
			"hot": "200", "stampedes": "2", "updates": "20", "zipf-duration": "1.5s", "zipf-rate": "1000",
			"rss-homestays": "3000", "redis-requests": "20000", "pgbench-scale": "1", "pgbench-seconds": "2",
		}
		for name, v := range quick {
			if !set[name] {
				if err := fs.Set(name, v); err != nil {
					return o, err
				}
			}
		}
	}
	for name, v := range map[string]int{
		"homestays": o.homestays, "concurrency": o.concurrency, "hot": o.hotSet, "stampedes": o.stampedeRounds,
		"updates": o.invalidations, "rss-homestays": o.rssHomestays, "redis-requests": o.redisRequests,
		"pgbench-scale": o.pgbenchScale, "pgbench-seconds": o.pgbenchSeconds,
	} {
		if v < 1 {
			err := fmt.Errorf("-%s must be at least 1", name)
			fmt.Fprintln(stderr, err)
			return o, err
		}
	}
	if o.duration <= 0 || o.warmup < 0 || o.zipfDuration <= 0 || o.zipfRate <= 0 || o.comments < 0 || o.s4Rate < 0 {
		err := errors.New("-duration, -zipf-duration and -zipf-rate must be positive; -warmup, -comments and -s4-rate not negative")
		fmt.Fprintln(stderr, err)
		return o, err
	}
	o.scenarios = map[string]bool{}
	for _, s := range strings.Split(scenarios, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		known := false
		for _, k := range scenarioIDs() {
			if strings.EqualFold(s, k) {
				o.scenarios[k], known = true, true
			}
		}
		if !known {
			err := fmt.Errorf("unknown scenario %q (want some of %s)", s, strings.Join(scenarioIDs(), ","))
			fmt.Fprintln(stderr, err)
			return o, err
		}
	}
	if o.zipfS <= 1 {
		err := errors.New("-zipf-s must be greater than 1")
		fmt.Fprintln(stderr, err)
		return o, err
	}
	return o, nil
}

// report is the whole run, as printed in JSON.
type report struct {
	Started   time.Time           `json:"started"`
	Machine   machine             `json:"machine"`
	Config    map[string]any      `json:"config"`
	DataSet   map[string]any      `json:"data_set"`
	Baselines map[string]baseline `json:"baselines"`
	Scenarios []*scenarioResult   `json:"scenarios"`
	RSS       *rssResult          `json:"launcher_rss,omitempty"`
	RSSError  string              `json:"launcher_rss_error,omitempty"`
}

type machine struct {
	CPUs       int     `json:"cpus"`
	CPUModel   string  `json:"cpu_model"`
	MemoryGiB  float64 `json:"memory_gib"`
	Go         string  `json:"go"`
	LoadBefore string  `json:"load_average_before"`
	LoadAfter  string  `json:"load_average_after"`
}

func describeMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), LoadBefore: loadAverage()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb float64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %f kB", &kb); err == nil {
			m.MemoryGiB = round(kb/1024/1024, 1)
		}
	}
	return m
}

// run is the whole benchmark: resources, baselines, data set, deployment, scenarios, report.
func run(ctx context.Context, o options, stdout, stderr io.Writer) (err error) {
	logf := func(format string, args ...any) {
		fmt.Fprintf(stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
	if o.repo == "" {
		if o.repo, err = findRepo("."); err != nil {
			return err
		}
	}
	if o.outDir == "" {
		if o.outDir, err = os.MkdirTemp("", "looklook-bench-"); err != nil {
			return err
		}
		if !o.profile && !o.keep {
			// Only the built programs and the deployment's log are in it.
			defer os.RemoveAll(o.outDir)
		}
	} else if err := os.MkdirAll(o.outDir, 0o755); err != nil {
		return err
	}
	id := make([]byte, 4)
	_, _ = rand.Read(id)
	runID := hex.EncodeToString(id)
	rep := &report{Started: time.Now().UTC().Truncate(time.Second), Machine: describeMachine(), Baselines: map[string]baseline{}}
	rep.Config = map[string]any{
		"run_id": runID, "quick": o.quick, "duration": o.duration.String(), "warmup": o.warmup.String(),
		"saturation_concurrency": o.concurrency, "hot_set": o.hotSet, "client": "vegeta v12 library, h2c (platform/rpcclient, no gzip), Connect protocol, binary protobuf",
		"deployment": "in the bench process, PostgreSQL + Redis", "log_level": o.logLevel.String(), "out_dir": o.outDir,
	}
	logf("run %s; logs and profiles in %s", runID, o.outDir)

	logFile, err := os.Create(filepath.Join(o.outDir, "deployment.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	logger := telemetry.NewLogger(logFile, o.logLevel)

	logf("building travel-gen and the launcher")
	travelGen, launcher, err := buildTools(ctx, o.repo, o.outDir)
	if err != nil {
		return err
	}

	// Baselines first, on an otherwise idle deployment.
	prefix := "bench:" + runID + ":"
	if o.baselines {
		logf("baseline: redis-benchmark")
		rep.Baselines["redis"] = redisBaseline(ctx, o.redisURL, prefix, o.redisRequests)
		logf("baseline: pgbench (scale %d, %ds)", o.pgbenchScale, o.pgbenchSeconds)
		rep.Baselines["pgbench"] = pgbenchBaseline(ctx, o.postgresURL, runID, o.pgbenchScale, o.pgbenchSeconds)
		for _, b := range rep.Baselines {
			if b.Skipped != "" {
				logf("baseline skipped: %s: %s", b.Name, b.Skipped)
			}
		}
	}

	needDeployment := false
	for _, s := range scenarioIDs() {
		if s != "RSS" && o.scenarios[s] {
			needDeployment = true
		}
	}
	if needDeployment {
		dbs, err := scratchDatabases(ctx, o.postgresURL, runID, "identity", "usercenter", "travel")
		if !o.keep {
			defer func() {
				if derr := dropDatabases(o.postgresURL, dbs); derr != nil {
					logf("drop scratch databases: %v", derr)
				}
				if derr := deleteKeys(o.redisURL, prefix); derr != nil {
					logf("delete Redis keys: %v", derr)
				}
			}()
		}
		if err != nil {
			return err
		}
		logf("generating %d homestays and %d comments", o.homestays, o.comments)
		took, err := generate(ctx, travelGen, dbs["travel"], o.homestays, o.comments)
		if err != nil {
			return err
		}
		cat, err := readCatalogue(ctx, dbs["travel"])
		if err != nil {
			return err
		}
		o.zipfL1Items = max(1, int64(cat.homestays)/10)
		rep.DataSet = map[string]any{"homestays": cat.homestays, "on_shelf": len(cat.onShelf), "comments": o.comments,
			"generator": "services/travel/cmd/travel-gen", "generate_seconds": round(took.Seconds(), 1)}
		logf("generated in %s: %d homestays, %d on shelf", took.Round(time.Second), cat.homestays, len(cat.onShelf))

		d := newDeployment(deployOptions{redisURL: o.redisURL, prefix: prefix,
			dataDir: o.outDir, zipfL1Items: o.zipfL1Items, logger: logger}, dbs)
		defer func() {
			if err := d.close(); err != nil {
				logf("deployment shutdown: %v", err)
			}
		}()
		if err := d.up(ctx, "base"); err != nil {
			return err
		}
		// The load's client is the services' own h2c client. It does not ask for gzip (Go's
		// transport would by default, and Connect servers compress every answer a client
		// accepts compressed): gRPC clients and redis-benchmark do not compress either.
		hc := rpcclient.NewHTTPClient()
		tr, ok := hc.Transport.(*http.Transport)
		if !ok {
			return fmt.Errorf("rpcclient's transport is a %T, not an *http.Transport", hc.Transport)
		}
		tr.DisableCompression = true
		hc.Timeout = 10 * time.Second
		b := &bench{opts: o, d: d, cat: cat, baselines: rep.Baselines, results: map[string]*scenarioResult{}, log: logf,
			load: &loader{client: hc, warmup: o.warmup}}
		stride := max(1, len(cat.onShelf)/o.hotSet)
		for i := 0; i < len(cat.onShelf) && len(b.hot) < o.hotSet; i += stride {
			b.hot = append(b.hot, cat.onShelf[i])
		}
		if len(b.hot) == 0 {
			return errors.New("the data set has no on-shelf homestay to read")
		}
		scenarios := []struct {
			id, title string
			run       func(context.Context, *scenarioResult) error
		}{
			{"S0", "Ceiling: one-hop Connect echo", b.s0},
			{"S1", "GetHomestay via the BFF, hot", func(ctx context.Context, s *scenarioResult) error { return b.s1(ctx, s, "a") }},
			{"S1b", "GetHomestay via the BFF, hot, L1 off (L2 only)", func(ctx context.Context, s *scenarioResult) error { return b.s1(ctx, s, "nol1") }},
			{"S2", "Stampede: 1,000 concurrent requests for one cold homestay", b.s2},
			{"S3", "ListPreferredHomestays, 20 cards", b.s3},
			{"S4", "BFF overhead: GetHomestay via the BFF vs straight to travel", b.s4},
			{"S5", "Cross-instance invalidation", b.s5},
			{"S6", "Hit ratio: Zipf over the catalogue, L1 = 10% of it", b.s6},
		}
		// Groups of instances some scenarios need beyond the base; each stops after the last
		// scenario that uses it.
		needs := map[string][]string{"S1b": {"nol1"}, "S2": {"b"}, "S5": {"b"}, "S6": {"zipf"}}
		lastUse := map[string]string{}
		for _, sc := range scenarios {
			if o.scenarios[sc.id] {
				for _, g := range needs[sc.id] {
					lastUse[g] = sc.id
				}
			}
		}
		for _, sc := range scenarios {
			if !o.scenarios[sc.id] {
				continue
			}
			if ctx.Err() != nil {
				break
			}
			logf("%s: %s", sc.id, sc.title)
			res := &scenarioResult{ID: sc.id, Title: sc.title}
			err := func() error {
				for _, g := range needs[sc.id] {
					if err := d.up(ctx, g); err != nil {
						return fmt.Errorf("start instances %q: %w", g, err)
					}
				}
				return sc.run(ctx, res)
			}()
			if err != nil {
				res.Error = err.Error()
				logf("%s failed: %v", sc.id, err)
			}
			for _, g := range needs[sc.id] {
				if lastUse[g] == sc.id {
					if err := d.down(g); err != nil {
						logf("stop instances %q: %v", g, err)
					}
				}
			}
			b.results[sc.id] = res
			rep.Scenarios = append(rep.Scenarios, res)
		}
		if err := d.close(); err != nil {
			logf("deployment shutdown: %v", err)
		}
	}

	if o.scenarios["RSS"] && ctx.Err() == nil {
		logf("RSS: the all-in-one launcher holding %d homestays", o.rssHomestays)
		r, err := measureLauncherRSS(ctx, launcher, travelGen, filepath.Join(o.outDir, "launcher-data"), o.rssHomestays, o.rssHomestays)
		if err != nil {
			rep.RSSError = err.Error()
			logf("RSS failed: %v", err)
		} else {
			rep.RSS = &r
		}
	}
	rep.Machine.LoadAfter = loadAverage()

	printTable(stdout, rep)
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%s\n", js)
	if o.jsonPath != "" {
		if err := os.WriteFile(o.jsonPath, append(js, '\n'), 0o644); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for _, s := range rep.Scenarios {
		if s.Error != "" {
			return fmt.Errorf("scenario %s failed: %s", s.ID, s.Error)
		}
	}
	return nil
}
