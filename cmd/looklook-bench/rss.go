package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	"github.com/looklook/looklook/platform/rpcclient"
)

// rssResult is the all-in-one launcher's memory before and after its caches hold the catalogue.
type rssResult struct {
	Homestays   int     `json:"homestays"`
	Cached      int     `json:"homestays_read_into_cache"`
	IdleMiB     float64 `json:"rss_idle_mib"`
	WarmMiB     float64 `json:"rss_holding_catalogue_mib"`
	PeakMiB     float64 `json:"rss_peak_mib"`
	GenerateSec float64 `json:"generate_seconds"`
	Storage     string  `json:"storage"`
}

// measureLauncherRSS runs the launcher binary as its own process on a SQLite catalogue of n
// homestays made by travel-gen (its laptop configuration: SQLite, in-process cache, default
// 100,000-entry L1), reads every homestay through travel once so the cache holds them all, and
// reports the process's resident memory from /proc.
func measureLauncherRSS(ctx context.Context, launcher, travelGen, dir string, n, comments int) (rssResult, error) {
	r := rssResult{Homestays: n, Storage: "SQLite, in-process cache (the launcher's default)"}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return r, err
	}
	took, err := generate(ctx, travelGen, "sqlite:"+filepath.Join(dir, "travel.db"), n, comments)
	if err != nil {
		return r, err
	}
	r.GenerateSec = round(took.Seconds(), 1)

	cmd := exec.CommandContext(ctx, launcher)
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LOOKLOOK_") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "LOOKLOOK_ADDR=127.0.0.1:0", "LOOKLOOK_DATA_DIR="+dir, "LOOKLOOK_SEED_DEMO=false",
		"LOOKLOOK_LOG_LEVEL=warn", "LOOKLOOK_WEB_APP=false")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return r, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return r, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()

	// The banner names travel's loopback address.
	travelAddr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`internal services .*travel (\S+)`)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				travelAddr <- m[1]
			}
		}
	}()
	var addr string
	select {
	case addr = <-travelAddr:
	case <-time.After(2 * time.Minute):
		return r, errors.New("the launcher printed no banner within 2 minutes")
	case <-ctx.Done():
		return r, ctx.Err()
	}
	time.Sleep(time.Second)
	pid := cmd.Process.Pid
	if r.IdleMiB, _, err = procRSS(pid); err != nil {
		return r, err
	}

	client := travelv1connect.NewTravelServiceClient(rpcclient.NewHTTPClient(), "http://"+addr)
	ids := make(chan []int64)
	counts := make(chan int, n/100+1)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(ids)
		for lo := 1; lo <= n; lo += 100 {
			batch := make([]int64, 0, 100)
			for id := lo; id < lo+100 && id <= n; id++ {
				batch = append(batch, int64(id))
			}
			select {
			case ids <- batch:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range 4 {
		g.Go(func() error {
			for batch := range ids {
				res, err := client.BatchGetHomestays(gctx, connect.NewRequest(&travelv1.BatchGetHomestaysRequest{Ids: batch}))
				if err != nil {
					return fmt.Errorf("BatchGetHomestays: %w", err)
				}
				counts <- len(res.Msg.GetHomestays())
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return r, err
	}
	close(counts)
	for c := range counts {
		r.Cached += c
	}
	time.Sleep(time.Second) // let ristretto's set buffers drain
	r.WarmMiB, r.PeakMiB, err = procRSS(pid)
	return r, err
}

// procRSS reads VmRSS and VmHWM of a process, in MiB.
func procRSS(pid int) (rss, peak float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = round(kb/1024, 1)
		case "VmHWM:":
			peak = round(kb/1024, 1)
		}
	}
	return rss, peak, nil
}
