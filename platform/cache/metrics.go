package cache

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics exports the counters of every cache built with it to Prometheus:
//
//	looklook_cache_hits_total{cache,tier}      tier is l1 or l2
//	looklook_cache_misses_total{cache,tier}
//	looklook_cache_loads_total{cache}
//	looklook_cache_load_errors_total{cache}
//	looklook_cache_collapsed_total{cache}      Gets that waited for another caller's load
//	looklook_cache_invalidations_total{cache}
//	looklook_cache_redis_errors_total{cache}
//	looklook_cache_l1_dropped_sets_total{cache}
//	looklook_cache_l1_purges_total{cache}
//	looklook_cache_stale_fills_skipped_total{cache}
//	looklook_cache_lost_invalidations_total{cache}
//	looklook_cache_subscribed{cache}           1 while invalidations are heard
//
// The values are read from each cache's own counters when Prometheus scrapes, so the hot path
// pays for one set of atomic increments, not two. One Metrics serves many caches; their names
// must differ.
type Metrics struct {
	mu     sync.Mutex
	caches map[string]func() Stats

	hits, misses                                *prometheus.Desc
	loads, loadErrors, collapsed, invalidations *prometheus.Desc
	redisErrors, dropped, purges, stale, lost   *prometheus.Desc
	subscribed                                  *prometheus.Desc
}

// NewMetrics registers cache metrics with reg (nil registers nothing, for tests). If reg
// already holds a Metrics it returns that one, so every cache of a process can call it. It
// panics if reg rejects the collector for another reason, which means another collector
// already exports these names: a programming error, like registering an HTTP pattern twice.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	counter := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("looklook_cache_"+name, help, append([]string{"cache"}, labels...), nil)
	}
	m := &Metrics{
		caches:        make(map[string]func() Stats),
		hits:          counter("hits_total", "Lookups answered by a cache tier.", "tier"),
		misses:        counter("misses_total", "Lookups a cache tier could not answer.", "tier"),
		loads:         counter("loads_total", "Loader calls (a batch counts once)."),
		loadErrors:    counter("load_errors_total", "Loader calls that failed (not counting not-found)."),
		collapsed:     counter("collapsed_total", "Gets that waited for another caller's load of the same key."),
		invalidations: counter("invalidations_total", "Ids invalidated."),
		redisErrors:   counter("redis_errors_total", "Failed or timed-out Redis operations; requests fell through."),
		dropped:       counter("l1_dropped_sets_total", "L1 fills dropped or rejected by ristretto."),
		purges:        counter("l1_purges_total", "Whole-L1 purges after the invalidation subscription dropped or returned."),
		stale:         counter("stale_fills_skipped_total", "Loaded rows not cached because an invalidation raced the load."),
		lost:          counter("lost_invalidations_total", "Invalidations dropped because the Redis retry queue was full."),
		subscribed:    counter("subscribed", "1 while the cache hears invalidations from other instances."),
	}
	if reg == nil {
		return m
	}
	if err := reg.Register(m); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(*Metrics); ok {
				return existing
			}
		}
		panic(fmt.Sprintf("cache: register metrics: %v", err))
	}
	return m
}

func (m *Metrics) add(name string, stats func() Stats) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.caches[name]; dup {
		return fmt.Errorf("cache %s: a cache of that name already reports to these metrics", name)
	}
	m.caches[name] = stats
	return nil
}

func (m *Metrics) remove(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.caches, name)
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{m.hits, m.misses, m.loads, m.loadErrors, m.collapsed, m.invalidations, m.redisErrors, m.dropped, m.purges, m.stale, m.lost, m.subscribed} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.mu.Lock()
	names := make([]string, 0, len(m.caches))
	for name := range m.caches {
		names = append(names, name)
	}
	sort.Strings(names)
	fns := make([]func() Stats, len(names))
	for i, name := range names {
		fns[i] = m.caches[name]
	}
	m.mu.Unlock()

	for i, name := range names {
		s := fns[i]()
		counter := func(d *prometheus.Desc, v uint64, labels ...string) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), append([]string{name}, labels...)...)
		}
		counter(m.hits, s.L1Hits, "l1")
		counter(m.hits, s.L2Hits, "l2")
		counter(m.misses, s.L1Misses, "l1")
		counter(m.misses, s.L2Misses, "l2")
		counter(m.loads, s.Loads)
		counter(m.loadErrors, s.LoadErrors)
		counter(m.collapsed, s.Collapsed)
		counter(m.invalidations, s.Invalidations)
		counter(m.redisErrors, s.RedisErrors)
		counter(m.dropped, s.L1DroppedSets)
		counter(m.purges, s.L1Purges)
		counter(m.stale, s.StaleFillsSkipped)
		counter(m.lost, s.LostInvalidations)
		up := 0.0
		if s.Subscribed {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(m.subscribed, prometheus.GaugeValue, up, name)
	}
}
