package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"
	"google.golang.org/protobuf/proto"

	cachev1 "github.com/looklook/looklook/gen/looklook/travel/cache/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/cache"
	"github.com/looklook/looklook/services/travel/ent"
)

// Options configures the store's cache.
type Options struct {
	// Redis is the shared second cache tier and invalidation bus; nil keeps an in-process
	// cache only, right for a single instance. Build it with cache.NewRedisClient.
	Redis redis.UniversalClient
	// KeyPrefix starts every Redis key and channel, so deployments (and tests) sharing a
	// Redis server do not see each other's entries.
	KeyPrefix string
	// L1MaxItems bounds each in-process cache in entries; 0 uses the cache's default, negative
	// disables the in-process tier.
	L1MaxItems int64
	// Logger receives cache and invalidation errors; nil discards them.
	Logger *slog.Logger
	// Metrics exports the caches' counters; nil exports none.
	Metrics *cache.Metrics
}

// Cache names; with the key prefix they start every Redis key of the cached rows.
const (
	homestayCacheName = "travel:homestay"
	businessCacheName = "travel:business"
)

// New returns a store over client with by-id caches for homestays and businesses and the list
// heads' caches. The TTLs are the cache's defaults: every write invalidates the rows it changed
// after commit, so the TTLs only bound how long a lost invalidation could serve an old row (one
// hour in Redis, a minute in process), and "not found" is kept for 30 seconds.
func New(ctx context.Context, client *ent.Client, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{client: client, logger: opts.Logger}
	var err error
	s.homestays, err = openCache(ctx, s, opts, homestayCacheName,
		func() *travelv1.Homestay { return new(travelv1.Homestay) }, opts.L1MaxItems, 0)
	if err == nil {
		s.businesses, err = openCache(ctx, s, opts, businessCacheName,
			func() *travelv1.Business { return new(travelv1.Business) }, opts.L1MaxItems, 0)
	}
	if err == nil {
		s.commentHeads, err = openCache(ctx, s, opts, commentHeadCacheName,
			func() *cachev1.RecentComments { return new(cachev1.RecentComments) },
			l1Items(opts.L1MaxItems, commentHeadL1Items), commentHeadL1Bytes)
	}
	if err == nil {
		s.preferredHeads, err = openCache(ctx, s, opts, preferredHeadCacheName,
			func() *cachev1.PreferredEntries { return new(cachev1.PreferredEntries) },
			l1Items(opts.L1MaxItems, preferredHeadL1Items), 0)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openCache builds one of the store's caches with the settings they share and registers it
// with s.Close.
func openCache[V proto.Message](ctx context.Context, s *Store, opts Options, name string, newMsg func() V, l1Items, l1Bytes int64) (*cache.Cache[V], error) {
	c, err := cache.New(ctx, cache.Options[V]{
		Name:       name,
		New:        newMsg,
		Redis:      opts.Redis,
		KeyPrefix:  opts.KeyPrefix,
		L1MaxItems: l1Items,
		L1MaxBytes: l1Bytes,
		Logger:     opts.Logger,
		Metrics:    opts.Metrics,
	})
	if err != nil {
		return nil, fmt.Errorf("cache %s: %w", name, err)
	}
	s.closers = append(s.closers, c.Close)
	return c, nil
}

// l1Items is the L1 capacity of a list-head cache: the rows' capacity (0: the cache's default)
// capped at limit, or disabled (negative) when the rows' L1 is.
func l1Items(rows, limit int64) int64 {
	if rows == 0 {
		return limit
	}
	return min(rows, limit)
}

// errNotFound is what the loaders return for a missing row: the cache remembers it briefly.
var errNotFound = cache.ErrNotFound

// isNotFound reports whether a cache read found no row.
func isNotFound(err error) bool { return errors.Is(err, cache.ErrNotFound) }
