// Package cache is the read-through cache every service puts in front of its store: an
// in-process ristretto L1, a shared Redis L2, and the caller's loader (a database query) behind
// both. Values are protobuf messages addressed by int64 id.
//
// # Reads
//
// Get looks in L1, then joins the one flight per key (singleflight) that reads L2 and, on a miss,
// runs the loader and fills L2 and L1. Waiters each wait on their own context; the shared flight
// runs on a detached context bounded by LoadTimeout, so one caller giving up never fails the
// others. GetMany looks in L1 for each id, reads the rest with one MGET and loads what is still
// missing with one loader call. A loader's ErrNotFound is cached briefly (NegativeTTL).
//
// # Keys
//
// For Name "travel:homestay", KeyPrefix "looklook:" and id 42:
//
//	looklook:travel:homestay:{42}      the value: proto.Marshal bytes, or "\x00" for "not found"
//	looklook:travel:homestay:gen:{42}  the generation token, rewritten by every invalidation
//	looklook:travel:homestay:inv       the pub/sub channel of invalidated ids ("42,43")
//
// The braces are Redis Cluster hash tags: a value and its generation share a slot, so one script
// can read one and write the other. No valid protobuf encoding starts with a zero byte (field
// number 0 is illegal), so the not-found marker cannot be mistaken for a message.
//
// # Stale sets
//
// A read that misses, races a write and loads the old row must not store it (the seed's model
// cache did, for up to 7 days). The protocol:
//
//   - Redis. A flight reads the value and its generation token in one MGET before the loader
//     runs, and writes the loaded row with a script that sets the value only if the token is
//     unchanged. Invalidate, called after the write committed, sets a fresh random token and
//     deletes the value, atomically per id. A load that started before the commit therefore
//     either stores before the invalidation (which then deletes it) or finds the token changed
//     and stores nothing; a load that starts after the invalidation reads the committed row.
//     Tokens live for genTTL (at least 10 minutes), far longer than a load may run (LoadTimeout),
//     and are random, so a token can neither expire nor come back between a read and its
//     compare-and-set.
//   - L1. Each id maps to one of 256 local shards, each with a mutex and a generation counter.
//     A flight notes its shard's generation before it reads L2; it fills L1, under the shard
//     mutex, only if that generation and the L1 epoch are unchanged and the L2 compare-and-set
//     did not report a newer token. Invalidating an id (at once on the instance that calls
//     Invalidate, and on every other instance when the pub/sub message arrives) bumps the
//     generation and deletes the entry under the same mutex, forgets the id's in-progress flight
//     so later readers start a new one, and waits for ristretto's set buffer to drain, so a Set
//     accepted before the invalidation cannot land after it. A shard covers many ids: an
//     unrelated invalidation only costs a skipped L1 fill, never a wrong value.
//
// ristretto may drop or reject any Set; nothing depends on a Set landing, only on a deleted or
// purged entry never coming back.
//
// # Invalidation and subscription loss
//
// Invalidate deletes the ids from its own L1, rewrites their tokens and deletes their values in
// Redis, publishes them, and deletes them from its own L1 again (a flight that read L2 between
// the first local delete and the Redis write cannot keep the old row). Every instance's
// subscriber deletes published ids from its L1. An instance whose subscription drops purges its
// whole L1 (bumping the epoch every entry carries, so a late Set of an old entry is never
// served) and resubscribes with backoff; until the subscription is confirmed again (and at
// start, and while Redis is down) L1 entries live only DegradedL1TTL, so a row invalidated
// while the instance could not hear it is served for at most that long. It purges again when
// the subscription is back. A missed message on a live subscription cannot be detected; L1TTL
// bounds that case.
//
// # Redis failures
//
// Every Redis operation is bounded by RedisTimeout (the client must honour context deadlines:
// see NewRedisClient). A failure is counted, logged at most once a second, and the request falls
// through to the loader: Redis being slow or down makes requests slower, never failing them.
// go-redis reconnects by itself, so a returning Redis is used again without a restart. A value
// loaded or read while Redis could not take it stays in L1 only DegradedL1TTL, so it reaches
// Redis within a second of its return. Invalidations that cannot reach Redis are queued and retried in the background (up to
// maxPending ids), because otherwise L2 would serve the old row until its TTL.
package cache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/ristretto/v2"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
	"google.golang.org/protobuf/proto"
)

// ErrNotFound is returned by a Loader for a missing row; the cache stores a short-lived negative
// entry and returns ErrNotFound to callers.
var ErrNotFound = errors.New("cache: not found")

// Defaults for the zero values of Options.
const (
	// DefaultL1MaxItems bounds L1 at 100,000 entries: with rows of a few hundred bytes that is
	// tens of megabytes per cache, enough for every hot row of a homestay catalogue.
	DefaultL1MaxItems = 100_000
	// DefaultTTL is the L2 lifetime. Every write invalidates its rows, so the TTL only matters
	// when an invalidation is lost (a crash between commit and Invalidate, or the retry queue
	// overflowing during a long Redis outage): one hour bounds that staleness and lets cold
	// rows leave Redis, where the seed's 7 days did neither, while rows that are read at all
	// are loaded at most once an hour.
	DefaultTTL = time.Hour
	// DefaultL1TTL bounds how long an instance can serve a row after an invalidation message
	// that never reached it on a subscription that looked healthy.
	DefaultL1TTL = time.Minute
	// DefaultDegradedL1TTL is the L1 lifetime while the instance is not subscribed to
	// invalidations: short enough that a missed write shows within a second (the bar the
	// platform sets for logouts too), long enough that a hot row still costs one load per
	// second per instance instead of one per request while Redis is down.
	DefaultDegradedL1TTL = time.Second
	// DefaultNegativeTTL keeps a "not found" for 30 seconds: long enough to absorb a scan of
	// unknown ids, short enough that nothing hides a row for long if an invalidation is lost.
	DefaultNegativeTTL = 30 * time.Second
	// DefaultRedisTimeout is 50ms: a Redis round trip on the same network takes well under a
	// millisecond, so anything slower is an outage to fall through, not a wait.
	DefaultRedisTimeout = 50 * time.Millisecond
	// DefaultLoadTimeout bounds a shared load, which runs detached from its callers' contexts.
	DefaultLoadTimeout = 10 * time.Second
)

// l1EntryOverhead is what an L1 entry costs besides its value's encoding when L1MaxBytes
// bounds L1: the entry, the decoded message's headers and ristretto's bookkeeping, roughly.
const l1EntryOverhead = 128

const (
	// maxPending is how many invalidated ids are kept for retry while Redis is unreachable.
	maxPending = 100_000
	// firstSubscribeWait is how long New waits for the first subscription attempt, so a
	// service normally starts with a full-TTL L1 but never hangs on a dead Redis.
	firstSubscribeWait = time.Second
	// healthInterval is how long the subscriber waits for a message before it pings; an
	// unanswered ping by the next interval counts as a dropped subscription.
	healthInterval = time.Second
	// minBackoff and maxBackoff bound the waits between resubscribes and invalidation retries.
	minBackoff = 50 * time.Millisecond
	maxBackoff = 2 * time.Second
)

// Options configures a Cache.
type Options[V proto.Message] struct {
	// Name identifies the cache, e.g. "travel:homestay": the metrics label and part of every
	// Redis key. Required.
	Name string
	// New allocates an empty message to decode L2 values into. Required.
	New func() V
	// Redis is the L2 and the invalidation bus; nil means L1 only (a single process, such as the
	// all-in-one launcher without Redis). Build it with NewRedisClient so operations honour
	// RedisTimeout.
	Redis redis.UniversalClient
	// KeyPrefix starts every Redis key and the pub/sub channel: "looklook:" in production,
	// testenv's per-test prefix in tests.
	KeyPrefix string
	// L1MaxItems is L1's capacity in entries; 0 means DefaultL1MaxItems, negative disables L1.
	// With L1MaxBytes set it is the number of entries expected instead, which sizes ristretto's
	// admission counters.
	L1MaxItems int64
	// L1MaxBytes, when positive, bounds L1 by the size of its values rather than their number:
	// each entry costs its protobuf encoding's size plus l1EntryOverhead. Set it for caches of
	// values whose size varies widely (lists of user text), where a count alone bounds nothing.
	L1MaxBytes int64
	// TTL is the L2 lifetime of a value, jittered by ±10%; 0 means DefaultTTL.
	TTL time.Duration
	// L1TTL is the L1 lifetime of a value; 0 means DefaultL1TTL.
	L1TTL time.Duration
	// DegradedL1TTL is the L1 lifetime while invalidations cannot be heard (Redis set but the
	// subscription not confirmed); 0 means DefaultDegradedL1TTL, negative means no L1 fills then.
	DegradedL1TTL time.Duration
	// NegativeTTL is the lifetime of a "not found", jittered by ±10% in L2; 0 means
	// DefaultNegativeTTL.
	NegativeTTL time.Duration
	// RedisTimeout bounds every Redis operation; 0 means DefaultRedisTimeout.
	RedisTimeout time.Duration
	// LoadTimeout bounds a loader call; 0 means DefaultLoadTimeout.
	LoadTimeout time.Duration
	// Logger receives Redis errors (at most one line a second) and subscription changes; nil
	// discards them.
	Logger *slog.Logger
	// Metrics exports this cache's counters; nil exports none.
	Metrics *Metrics
}

// Stats is a snapshot of a cache's counters.
type Stats struct {
	L1Hits        uint64 // Gets and GetMany ids answered by L1 (found or not found)
	L1Misses      uint64 // lookups L1 could not answer (not counted when L1 is disabled)
	L2Hits        uint64 // lookups answered by Redis
	L2Misses      uint64 // Redis answered "no such key"
	Loads         uint64 // loader calls (a GetMany batch counts once)
	LoadErrors    uint64 // loader calls that failed with something other than ErrNotFound
	Collapsed     uint64 // Gets that waited for another caller's flight instead of loading
	Invalidations uint64 // ids passed to Invalidate
	RedisErrors   uint64 // failed or timed-out Redis operations
	// L1DroppedSets counts L1 fills ristretto dropped (full buffer) or its admission policy
	// rejected; the value is served from L2 or the loader next time.
	L1DroppedSets uint64
	// L1Purges counts whole-L1 purges: the subscription dropped or came back.
	L1Purges uint64
	// StaleFillsSkipped counts loaded rows not stored because an invalidation raced the load
	// (in L1, an invalidation of any id sharing the row's shard counts too).
	StaleFillsSkipped uint64
	// Subscriptions counts confirmed (re)subscriptions to the invalidation channel.
	Subscriptions uint64
	// LostInvalidations counts ids dropped because the retry queue was full.
	LostInvalidations uint64
	// Subscribed tells whether invalidations are being heard (always true without Redis).
	Subscribed bool
}

// Cache is a two-tier read-through cache of V by int64 id. Values it returns are shared with
// the cache and with other callers: treat them as read-only (proto.Clone before changing one).
// Its methods are safe for concurrent use; Close must come after the last of them returned.
type Cache[V proto.Message] struct {
	name         string
	newMsg       func() V
	rdb          redis.UniversalClient
	log          *slog.Logger
	metrics      *Metrics
	ttl          time.Duration
	l1TTL        time.Duration
	degradedTTL  time.Duration
	negTTL       time.Duration
	redisTimeout time.Duration
	loadTimeout  time.Duration
	genTTL       time.Duration

	keyPrefix string // KeyPrefix + Name + ":"
	channel   string

	rc      *ristretto.Cache[int64, *entry[V]] // nil when L1 is disabled
	costOf  func(*entry[V]) int64              // an entry's L1 cost; nil: 1 each (L1MaxItems)
	shards  [numShards]shard
	epoch   atomic.Uint64
	flights singleflight.Group

	subscribed atomic.Bool

	// life guards the L1 against use by background work (flights that outlived their callers,
	// the subscriber) once Close has released it.
	life   sync.RWMutex
	closed bool

	cancel    context.CancelFunc
	bg        sync.WaitGroup
	closeOnce sync.Once

	pendingMu sync.Mutex
	pending   map[int64]struct{}
	wake      chan struct{}

	logLimit limiter

	stats counters

	// joined, when set by a test, is called after a Get has attached to a flight.
	joined func(id int64)
}

type counters struct {
	l1Hits, l1Misses, l2Hits, l2Misses    atomic.Uint64
	loads, loadErrors, collapsed          atomic.Uint64
	invalidations, redisErrors, l1Dropped atomic.Uint64
	purges, staleSkipped, subscriptions   atomic.Uint64
	lostInvalidations                     atomic.Uint64
}

// entry is what L1 holds and what a flight hands its waiters. It never changes once made.
type entry[V proto.Message] struct {
	msg   V
	found bool
	epoch uint64
}

// New builds a cache. With Redis set it starts the invalidation subscriber (waiting up to a
// second for the first subscription, without failing when Redis is down) and the retry of
// failed invalidations; both stop when ctx is done or Close is called.
func New[V proto.Message](ctx context.Context, opts Options[V]) (*Cache[V], error) {
	if opts.Name == "" {
		return nil, errors.New("cache: Options.Name is required")
	}
	if opts.New == nil {
		return nil, fmt.Errorf("cache %s: Options.New is required", opts.Name)
	}
	c := &Cache[V]{
		name:         opts.Name,
		newMsg:       opts.New,
		rdb:          opts.Redis,
		log:          opts.Logger,
		metrics:      opts.Metrics,
		ttl:          orDefault(opts.TTL, DefaultTTL),
		l1TTL:        orDefault(opts.L1TTL, DefaultL1TTL),
		degradedTTL:  orDefault(opts.DegradedL1TTL, DefaultDegradedL1TTL),
		negTTL:       orDefault(opts.NegativeTTL, DefaultNegativeTTL),
		redisTimeout: orDefault(opts.RedisTimeout, DefaultRedisTimeout),
		loadTimeout:  orDefault(opts.LoadTimeout, DefaultLoadTimeout),
		keyPrefix:    opts.KeyPrefix + opts.Name + ":",
		pending:      make(map[int64]struct{}),
		wake:         make(chan struct{}, 1),
	}
	c.channel = c.keyPrefix + "inv"
	c.genTTL = max(10*time.Minute, 10*c.loadTimeout)
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.log = c.log.With("cache", c.name)
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"TTL", c.ttl}, {"L1TTL", c.l1TTL}, {"NegativeTTL", c.negTTL}, {"RedisTimeout", c.redisTimeout}, {"LoadTimeout", c.loadTimeout}} {
		if d.v < 0 {
			return nil, fmt.Errorf("cache %s: Options.%s must not be negative", c.name, d.name)
		}
	}
	if opts.L1MaxItems >= 0 {
		items := opts.L1MaxItems
		if items == 0 {
			items = DefaultL1MaxItems
		}
		maxCost := items
		if opts.L1MaxBytes > 0 {
			maxCost = opts.L1MaxBytes
			c.costOf = func(e *entry[V]) int64 {
				if !e.found {
					return l1EntryOverhead
				}
				return l1EntryOverhead + int64(proto.Size(e.msg))
			}
		}
		rc, err := ristretto.NewCache(&ristretto.Config[int64, *entry[V]]{
			// NumCounters is ten times the number of entries, as ristretto recommends for its
			// admission sketch.
			NumCounters:        10 * items,
			MaxCost:            maxCost,
			BufferItems:        64,
			IgnoreInternalCost: true,
			// Ids are unique, so the id is its own hash and no conflict hash is needed.
			KeyToHash: func(id int64) (uint64, uint64) { return uint64(id), 0 },
			OnReject:  func(*ristretto.Item[*entry[V]]) { c.stats.l1Dropped.Add(1) },
		})
		if err != nil {
			return nil, fmt.Errorf("cache %s: L1: %w", c.name, err)
		}
		c.rc = rc
	}
	if c.metrics != nil {
		if err := c.metrics.add(c.name, c.Stats); err != nil {
			c.rc.Close()
			return nil, err
		}
	}
	if c.rdb == nil {
		c.subscribed.Store(true)
		c.cancel = func() {}
		return c, nil
	}
	if cl, ok := c.rdb.(*redis.Client); ok && !cl.Options().ContextTimeoutEnabled {
		c.log.Warn("cache: the Redis client ignores context deadlines, so RedisTimeout cannot bound its operations; build it with cache.NewRedisClient")
	}
	bgCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.cancel = cancel
	stop := context.AfterFunc(ctx, cancel)
	first := make(chan struct{})
	c.bg.Add(3)
	go func() {
		defer c.bg.Done()
		c.subscribeLoop(bgCtx, first)
	}()
	go func() {
		defer c.bg.Done()
		c.retryLoop(bgCtx)
	}()
	go func() {
		defer c.bg.Done()
		<-bgCtx.Done()
		stop()
	}()
	timer := time.NewTimer(firstSubscribeWait)
	defer timer.Stop()
	select {
	case <-first:
	case <-timer.C:
	case <-ctx.Done():
	}
	return c, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Close stops the subscriber and the invalidation retries (trying queued invalidations once
// more), and releases L1. Call it after the last Get, GetMany and Invalidate returned; loads
// still running in the background finish without touching L1.
func (c *Cache[V]) Close() error {
	c.closeOnce.Do(func() {
		c.cancel()
		c.bg.Wait()
		if c.rdb != nil {
			if ids := c.takePending(); len(ids) > 0 {
				if failed, err := c.invalidateRedis(context.Background(), ids); err != nil {
					c.stats.lostInvalidations.Add(uint64(len(failed)))
					c.log.Error("cache: invalidations lost at close; L2 may serve old rows until their TTL", "ids", len(failed), "err", err)
				}
			}
		}
		c.life.Lock()
		c.closed = true
		c.life.Unlock()
		if c.rc != nil {
			c.rc.Close()
		}
		if c.metrics != nil {
			c.metrics.remove(c.name)
		}
	})
	return nil
}

// Stats returns a snapshot of the cache's counters.
func (c *Cache[V]) Stats() Stats {
	s := &c.stats
	return Stats{
		L1Hits:            s.l1Hits.Load(),
		L1Misses:          s.l1Misses.Load(),
		L2Hits:            s.l2Hits.Load(),
		L2Misses:          s.l2Misses.Load(),
		Loads:             s.loads.Load(),
		LoadErrors:        s.loadErrors.Load(),
		Collapsed:         s.collapsed.Load(),
		Invalidations:     s.invalidations.Load(),
		RedisErrors:       s.redisErrors.Load(),
		L1DroppedSets:     s.l1Dropped.Load(),
		L1Purges:          s.purges.Load(),
		StaleFillsSkipped: s.staleSkipped.Load(),
		Subscriptions:     s.subscriptions.Load(),
		LostInvalidations: s.lostInvalidations.Load(),
		Subscribed:        c.subscribed.Load(),
	}
}

// Get returns the value for id, from L1, L2 or load. load runs at most once at a time per id
// in this process, on a context detached from ctx (keeping its values) and bounded by
// LoadTimeout; it returns ErrNotFound (possibly wrapped) for a missing row. Get returns
// ErrNotFound for a missing row, ctx's error when ctx is done first, and the loader's other
// errors as they are. Redis errors are never returned.
//
// load escapes to the shared flight, so a method value written at the call site
// (c.Get(ctx, id, s.loadRow)) costs an allocation on every call, L1 hits included; keep the
// loader in a field or variable made once.
func (c *Cache[V]) Get(ctx context.Context, id int64, load func(ctx context.Context, id int64) (V, error)) (V, error) {
	var zero V
	if c.rc != nil {
		if e, ok := c.l1Get(id); ok {
			c.stats.l1Hits.Add(1)
			if !e.found {
				return zero, ErrNotFound
			}
			return e.msg, nil
		}
		c.stats.l1Misses.Add(1)
	}
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	led := false
	ch := c.flights.DoChan(flightKey(id), func() (any, error) {
		led = true
		return c.fetch(ctx, id, load)
	})
	if c.joined != nil {
		c.joined(id)
	}
	select {
	case r := <-ch:
		if !led {
			c.stats.collapsed.Add(1)
		}
		if r.Err != nil {
			return zero, r.Err
		}
		e := r.Val.(*entry[V])
		if !e.found {
			return zero, ErrNotFound
		}
		return e.msg, nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

func flightKey(id int64) string { return strconv.FormatInt(id, 10) }

// fetch is the shared part of a Get miss: L2, then the loader, then the fills.
func (c *Cache[V]) fetch(parent context.Context, id int64, load func(ctx context.Context, id int64) (V, error)) (e *entry[V], err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), c.loadTimeout)
	defer cancel()
	gen, epoch := c.shardOf(id).gen.Load(), c.epoch.Load()
	// A caller that missed L1 just before the previous flight for id filled it, and joined
	// after that flight ended, starts this one: the value is in L1 now, and loading it again
	// would be the second load a stampede must not cause.
	if c.rc != nil {
		if e, ok := c.l1Get(id); ok {
			return e, nil
		}
	}

	var token string
	haveToken := false
	if c.rdb != nil {
		val, tok, hit, err := c.l2Get(ctx, id)
		switch {
		case err != nil:
			c.redisError("get", err)
		case hit:
			e, err := c.decode(val, epoch)
			if err == nil {
				c.stats.l2Hits.Add(1)
				c.l1Fill(id, e, gen, true)
				return e, nil
			}
			c.log.Warn("cache: undecodable L2 value; loading instead", "id", id, "err", err)
			c.stats.l2Misses.Add(1)
			token, haveToken = tok, true
		default:
			c.stats.l2Misses.Add(1)
			token, haveToken = tok, true
		}
	}

	c.stats.loads.Add(1)
	msg, err := safeLoad(ctx, id, load)
	switch {
	case errors.Is(err, ErrNotFound):
		e = &entry[V]{epoch: epoch}
	case err != nil:
		c.stats.loadErrors.Add(1)
		return nil, err
	case !valid(msg):
		c.stats.loadErrors.Add(1)
		return nil, fmt.Errorf("cache %s: loader returned a nil message and no error for id %d", c.name, id)
	default:
		e = &entry[V]{msg: msg, found: true, epoch: epoch}
	}

	inL2 := false
	if haveToken {
		stored, err := c.l2Fill(ctx, id, e, token)
		inL2 = err == nil
		if err != nil {
			c.redisError("fill", err)
		} else if !stored {
			// An invalidation changed the token while we loaded: what we hold may be the row
			// from before the write. Callers that asked before the write may have it; no cache
			// may keep it.
			c.stats.staleSkipped.Add(1)
			return e, nil
		}
	}
	c.l1Fill(id, e, gen, inL2)
	return e, nil
}

// safeLoad turns a loader panic into an error: the flight runs on its own goroutine, where a
// panic would crash the process rather than reach the request's recovery.
func safeLoad[V any, K any](ctx context.Context, k K, load func(context.Context, K) (V, error)) (v V, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cache: loader panicked: %v", p)
		}
	}()
	return load(ctx, k)
}

func valid[V proto.Message](m V) bool {
	return any(m) != nil && m.ProtoReflect().IsValid()
}

// GetMany returns the values of ids that exist; missing ids are absent from the map and cached
// as not found. It reads L1 for each id, then Redis once (MGET) for the rest, then calls load
// once with the ids still missing (none twice). load's map may omit ids (not found); ids it
// returns but was not asked for are ignored. GetMany returns load's error (other than
// ErrNotFound, which means all are missing) or ctx's; Redis errors are never returned.
func (c *Cache[V]) GetMany(ctx context.Context, ids []int64, load func(ctx context.Context, ids []int64) (map[int64]V, error)) (map[int64]V, error) {
	out := make(map[int64]V, len(ids))
	missing := make([]int64, 0, len(ids))
	seen := make(map[int64]struct{}, len(ids))
	for _, id := range ids {
		if _, dup := seen[id]; dup {
			continue
		}
		seen[id] = struct{}{}
		if c.rc != nil {
			if e, ok := c.l1Get(id); ok {
				c.stats.l1Hits.Add(1)
				if e.found {
					out[id] = e.msg
				}
				continue
			}
			c.stats.l1Misses.Add(1)
		}
		missing = append(missing, id)
	}
	if len(missing) == 0 {
		return out, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.loadTimeout)
	defer cancel()

	epoch := c.epoch.Load()
	gens := make([]uint64, len(missing))
	for i, id := range missing {
		gens[i] = c.shardOf(id).gen.Load()
	}
	var tokens []string
	if c.rdb != nil {
		vals, toks, err := c.l2GetMany(ctx, missing)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			c.redisError("mget", err)
		} else {
			rest, restGens := missing[:0], gens[:0]
			for i, id := range missing {
				if vals[i] != nil {
					e, err := c.decode(*vals[i], epoch)
					if err == nil {
						c.stats.l2Hits.Add(1)
						c.l1Fill(id, e, gens[i], true)
						if e.found {
							out[id] = e.msg
						}
						continue
					}
					c.log.Warn("cache: undecodable L2 value; loading instead", "id", id, "err", err)
				}
				c.stats.l2Misses.Add(1)
				rest, restGens = append(rest, id), append(restGens, gens[i])
				tokens = append(tokens, toks[i])
			}
			missing, gens = rest, restGens
		}
	}
	if len(missing) == 0 {
		return out, nil
	}

	c.stats.loads.Add(1)
	got, err := safeLoad(ctx, missing, load)
	if err != nil && !errors.Is(err, ErrNotFound) {
		c.stats.loadErrors.Add(1)
		return nil, err
	}
	entries := make([]*entry[V], len(missing))
	for i, id := range missing {
		if msg, ok := got[id]; ok && valid(msg) {
			entries[i] = &entry[V]{msg: msg, found: true, epoch: epoch}
			out[id] = msg
		} else {
			entries[i] = &entry[V]{epoch: epoch}
		}
	}

	stored := make([]bool, len(missing))
	for i := range stored {
		stored[i] = true
	}
	inL2 := false
	if tokens != nil {
		ok, err := c.l2FillMany(ctx, missing, entries, tokens)
		switch {
		case err != nil && ctx.Err() != nil:
			// The caller is gone; the values are still right for it, but L1 stays unfilled.
			return out, nil
		case err != nil:
			c.redisError("fill", err)
		default:
			stored, inL2 = ok, true
		}
	}
	for i, id := range missing {
		if stored[i] {
			c.l1Fill(id, entries[i], gens[i], inL2)
		} else {
			c.stats.staleSkipped.Add(1)
		}
	}
	return out, nil
}

// Invalidate drops ids from every tier on every instance. Call it after the write's
// transaction committed (before, a concurrent reader could cache the old row again). When it
// returns, this instance no longer serves the old rows; other instances stop within their
// pub/sub latency. Redis errors are logged, counted and retried in the background, never
// returned: Invalidate returns an error only when ctx is done.
func (c *Cache[V]) Invalidate(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return ctx.Err()
	}
	c.stats.invalidations.Add(uint64(len(ids)))
	c.invalidateLocal(ids)
	if c.rdb != nil {
		// The write has committed whether or not the caller is still waiting, so the
		// invalidation runs to the end even if ctx is cancelled.
		if failed, err := c.invalidateRedis(context.WithoutCancel(ctx), ids); err != nil {
			c.redisError("invalidate", err)
			c.addPending(failed)
		}
		c.invalidateLocal(ids)
	}
	return ctx.Err()
}

// redisError counts err and logs it at most once a second, with how many were not logged.
func (c *Cache[V]) redisError(op string, err error) {
	c.stats.redisErrors.Add(1)
	if ok, suppressed := c.logLimit.allow(); ok {
		c.log.Warn("cache: redis operation failed; falling through", "op", op, "err", err, "suppressed", suppressed)
	}
}
