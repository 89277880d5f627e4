package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"connectrpc.com/grpchealth"
	"github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/looklook/looklook/bff"
	"github.com/looklook/looklook/platform/cache"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/services/identity"
	"github.com/looklook/looklook/services/travel"
	"github.com/looklook/looklook/services/usercenter"
)

// deployment is looklook running inside the bench process on loopback ports. The base group
// runs throughout; the others start for the scenarios that need them and stop afterwards, so
// the connection pools of idle instances (32 connections each) never crowd a PostgreSQL server
// whose max_connections other users share.
//
//	base   identity, usercenter "a", travel "a", BFF "a", echo     S0, S1, S3, S4
//	b      travel "b" + BFF "b" on the same database and Redis      S2, S5
//	nol1   usercenter + travel with L1 disabled, BFF "nol1"         S1b
//	zipf   travel with L1 = 10% of the catalogue, own Redis prefix  S6
//
// Every program is started through its package's Run, exactly as the launcher does.
type deployment struct {
	o         deployOptions
	dbs       map[string]string // service → scratch database URL
	prefix    string            // Redis key prefix of this run
	identity  string
	usercntr  map[string]string // usercenter base URLs by instance
	bff       map[string]string // BFF base URLs by instance
	travel    map[string]string // travel base URLs by instance
	metrics   map[string]*prometheus.Registry
	echo      string
	echoReply *echoReply
	hc        *http.Client
	groups    map[string]*group
}

// group is programs started together and stopped together.
type group struct {
	stop     context.CancelFunc
	done     chan error
	nRunning int
	urls     []string
}

// deployOptions describe the scratch resources of one run.
type deployOptions struct {
	redisURL    string
	prefix      string // every Redis key and channel of the run starts with it
	dataDir     string
	zipfL1Items int64 // travel "zipf"'s L1 capacity
	logger      *slog.Logger
}

// scratchDatabases creates bench_<run>_<service> for each service and returns their URLs.
func scratchDatabases(ctx context.Context, serverURL, runID string, services ...string) (map[string]string, error) {
	db, err := sql.Open("postgres", serverURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	out := map[string]string{}
	for _, s := range services {
		name := "bench_" + runID + "_" + s
		if _, err := db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
			return out, fmt.Errorf("create database %s: %w", name, err)
		}
		u, err := url.Parse(serverURL)
		if err != nil {
			return out, err
		}
		u.Path = "/" + name
		out[s] = u.String()
	}
	return out, nil
}

// dropDatabases drops the scratch databases (only those named bench_*).
func dropDatabases(serverURL string, dbs map[string]string) error {
	db, err := sql.Open("postgres", serverURL)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var errs []error
	for _, u := range dbs {
		pu, err := url.Parse(u)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		name := strings.TrimPrefix(pu.Path, "/")
		if !strings.HasPrefix(name, "bench_") {
			errs = append(errs, fmt.Errorf("refusing to drop %q: not a bench database", name))
			continue
		}
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// deleteKeys removes every Redis key under prefix (never FLUSH: the server is shared).
func deleteKeys(redisURL, prefix string) error {
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		return err
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 1000 {
			if err := rdb.Unlink(ctx, batch...).Err(); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if err := rdb.Unlink(ctx, batch...).Err(); err != nil {
			return err
		}
	}
	return iter.Err()
}

func newDeployment(o deployOptions, dbs map[string]string) *deployment {
	return &deployment{
		o: o, dbs: dbs, prefix: o.prefix, usercntr: map[string]string{}, bff: map[string]string{},
		travel: map[string]string{}, metrics: map[string]*prometheus.Registry{}, hc: rpcclient.NewHTTPClient(),
		echoReply: &echoReply{}, groups: map[string]*group{},
	}
}

func listen() (net.Listener, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	return ln, "http://" + ln.Addr().String(), nil
}

func (g *group) start(name string, f func() error) {
	g.nRunning++
	go func() {
		err := f()
		if err != nil {
			err = fmt.Errorf("%s: %w", name, err)
		}
		g.done <- err
	}()
}

func (d *deployment) vars(service string) map[string]string {
	return map[string]string{
		"LOOKLOOK_DATABASE_URL":     d.dbs[service],
		"LOOKLOOK_REDIS_URL":        d.o.redisURL,
		"LOOKLOOK_REDIS_KEY_PREFIX": d.prefix,
		// Cheap password hashing: the bench registers no users on the hot path.
		"LOOKLOOK_ARGON2_MEMORY_KIB": "1024",
		"LOOKLOOK_ARGON2_TIME":       "1",
	}
}

// launch gives a program a loopback listener, records its URL in g and runs it in g.
func (g *group) launch(name string, run func(ln net.Listener) error) (string, error) {
	ln, u, err := listen()
	if err != nil {
		return "", err
	}
	g.urls = append(g.urls, u)
	g.start(name, func() error { return run(ln) })
	return u, nil
}

func (d *deployment) startIdentity(ctx context.Context, g *group) error {
	vars := d.vars("identity")
	vars["LOOKLOOK_SIGNING_KEY_FILE"] = filepath.Join(d.o.dataDir, "identity-signing.key")
	env := config.FromMap(vars)
	cfg := identity.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		return err
	}
	u, err := g.launch("identity", func(ln net.Listener) error {
		cfg.Listener = ln
		return identity.Run(ctx, cfg, d.o.logger.With("service", "identity"))
	})
	d.identity = u
	return err
}

func (d *deployment) startUsercenter(ctx context.Context, g *group, inst string, vars map[string]string) error {
	env := config.FromMap(vars)
	cfg := usercenter.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		return err
	}
	cfg.CacheMetrics = cache.NewMetrics(nil)
	u, err := g.launch("usercenter "+inst, func(ln net.Listener) error {
		cfg.Listener = ln
		return usercenter.Run(ctx, cfg, d.o.logger.With("service", "usercenter", "instance", inst))
	})
	d.usercntr[inst] = u
	return err
}

func (d *deployment) startTravel(ctx context.Context, g *group, inst string, vars map[string]string) error {
	env := config.FromMap(vars)
	cfg := travel.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	cfg.CacheMetrics = cache.NewMetrics(reg)
	d.metrics[inst] = reg
	u, err := g.launch("travel "+inst, func(ln net.Listener) error {
		cfg.Listener = ln
		return travel.Run(ctx, cfg, d.o.logger.With("service", "travel", "instance", inst))
	})
	d.travel[inst] = u
	return err
}

func (d *deployment) startBFF(ctx context.Context, g *group, inst, usercenterURL, travelURL string) error {
	env := config.FromMap(map[string]string{
		"LOOKLOOK_IDENTITY_URL": d.identity, "LOOKLOOK_USERCENTER_URL": usercenterURL, "LOOKLOOK_TRAVEL_URL": travelURL,
		"LOOKLOOK_WEB_APP": "false",
	})
	cfg := bff.ConfigFromEnv(env)
	if err := env.Err(); err != nil {
		return err
	}
	u, err := g.launch("bff "+inst, func(ln net.Listener) error {
		cfg.Listener = ln
		return bff.Run(ctx, cfg, d.o.logger.With("service", "bff", "instance", inst))
	})
	d.bff[inst] = u
	return err
}

// up starts a group ("base", "b", "nol1" or "zipf") and waits until its programs serve.
func (d *deployment) up(ctx context.Context, name string) error {
	if _, ok := d.groups[name]; ok {
		return nil
	}
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	g := &group{stop: cancel, done: make(chan error, 8)}
	d.groups[name] = g
	err := func() error {
		switch name {
		case "base":
			if err := d.startIdentity(gctx, g); err != nil {
				return err
			}
			if err := d.startUsercenter(gctx, g, "a", d.vars("usercenter")); err != nil {
				return err
			}
			if err := d.startTravel(gctx, g, "a", d.vars("travel")); err != nil {
				return err
			}
			if err := d.startBFF(gctx, g, "a", d.usercntr["a"], d.travel["a"]); err != nil {
				return err
			}
			u, err := g.launch("echo", func(ln net.Listener) error {
				return runEcho(gctx, ln, d.echoReply, d.o.logger.With("service", "echo"))
			})
			d.echo = u
			if err != nil {
				return err
			}
		case "b":
			if err := d.startTravel(gctx, g, "b", d.vars("travel")); err != nil {
				return err
			}
			return d.startBFF(gctx, g, "b", d.usercntr["a"], d.travel["b"])
		case "nol1":
			uv := d.vars("usercenter")
			uv["LOOKLOOK_CACHE_L1_ITEMS"] = "-1"
			if err := d.startUsercenter(gctx, g, "nol1", uv); err != nil {
				return err
			}
			tv := d.vars("travel")
			tv["LOOKLOOK_CACHE_L1_ITEMS"] = "-1"
			if err := d.startTravel(gctx, g, "nol1", tv); err != nil {
				return err
			}
			return d.startBFF(gctx, g, "nol1", d.usercntr["nol1"], d.travel["nol1"])
		case "zipf":
			tv := d.vars("travel")
			tv["LOOKLOOK_CACHE_L1_ITEMS"] = strconv.FormatInt(d.o.zipfL1Items, 10)
			tv["LOOKLOOK_REDIS_KEY_PREFIX"] = d.prefix + "zipf:"
			return d.startTravel(gctx, g, "zipf", tv)
		default:
			return fmt.Errorf("no deployment group %q", name)
		}
		return nil
	}()
	if err != nil {
		return errors.Join(err, d.down(name))
	}
	waitCtx, cancelWait := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelWait()
	for _, u := range g.urls {
		if err := g.waitHealthy(waitCtx, d.hc, u); err != nil {
			return errors.Join(fmt.Errorf("%s not serving: %w", u, err), d.down(name))
		}
	}
	return nil
}

// down stops a group and waits for its programs.
func (d *deployment) down(name string) error {
	g, ok := d.groups[name]
	if !ok {
		return nil
	}
	delete(d.groups, name)
	g.stop()
	var errs []error
	timeout := time.After(time.Minute)
	for range g.nRunning {
		select {
		case err := <-g.done:
			if err != nil {
				errs = append(errs, err)
			}
		case <-timeout:
			return errors.Join(append(errs, fmt.Errorf("group %s did not stop within a minute", name))...)
		}
	}
	return errors.Join(errs...)
}

// close stops every group, the base last.
func (d *deployment) close() error {
	var errs []error
	for _, name := range []string{"b", "nol1", "zipf", "base"} {
		errs = append(errs, d.down(name))
	}
	return errors.Join(errs...)
}

// waitHealthy polls u's gRPC health check until it reports SERVING. A program of g that exits
// meanwhile fails the wait; its exit is consumed here, so down waits only for the others.
func (g *group) waitHealthy(ctx context.Context, hc *http.Client, u string) error {
	client := grpchealth.NewClient(hc, u)
	for {
		res, err := client.Check(ctx, &grpchealth.CheckRequest{})
		if err == nil && res.Status == grpchealth.StatusServing {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		case err := <-g.done:
			g.nRunning--
			return fmt.Errorf("a program stopped: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// cacheCounters are a cache's counters, as cacheStats reads them.
type cacheCounters struct {
	L1Hits, L1Misses, L2Hits, L2Misses, Loads, Collapsed, Invalidations, RedisErrors float64
}

// cacheStats reads travel instance inst's counters for one cache ("travel:homestay").
func (d *deployment) cacheStats(inst, cacheName string) (cacheCounters, error) {
	var c cacheCounters
	families, err := d.metrics[inst].Gather()
	if err != nil {
		return c, err
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["cache"] != cacheName {
				continue
			}
			v := m.GetCounter().GetValue()
			switch f.GetName() {
			case "looklook_cache_hits_total":
				if labels["tier"] == "l1" {
					c.L1Hits = v
				} else {
					c.L2Hits = v
				}
			case "looklook_cache_misses_total":
				if labels["tier"] == "l1" {
					c.L1Misses = v
				} else {
					c.L2Misses = v
				}
			case "looklook_cache_loads_total":
				c.Loads = v
			case "looklook_cache_collapsed_total":
				c.Collapsed = v
			case "looklook_cache_invalidations_total":
				c.Invalidations = v
			case "looklook_cache_redis_errors_total":
				c.RedisErrors = v
			}
		}
	}
	return c, nil
}

func (c cacheCounters) minus(o cacheCounters) cacheCounters {
	return cacheCounters{
		L1Hits: c.L1Hits - o.L1Hits, L1Misses: c.L1Misses - o.L1Misses, L2Hits: c.L2Hits - o.L2Hits,
		L2Misses: c.L2Misses - o.L2Misses, Loads: c.Loads - o.Loads, Collapsed: c.Collapsed - o.Collapsed,
		Invalidations: c.Invalidations - o.Invalidations, RedisErrors: c.RedisErrors - o.RedisErrors,
	}
}
