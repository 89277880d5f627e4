package cache

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// tiers are the two deployments every behaviour must hold in: the launcher's L1-only cache and
// the production L1 in front of Redis.
var tiers = []struct {
	name  string
	redis bool
}{
	{"l1 only", false},
	{"l1 and redis", true},
}

func tierCache(t *testing.T, withRedis bool, opts Options[msg]) *Cache[msg] {
	t.Helper()
	if withRedis {
		opts.Redis, opts.KeyPrefix = sharedRedis(t, "")
	}
	c := newCache(t, opts)
	if withRedis {
		waitSubscribed(t, c)
	}
	return c
}

func TestStampedeLoadsOnce(t *testing.T) {
	t.Parallel()
	for _, tier := range tiers {
		t.Run(tier.name, func(t *testing.T) {
			t.Parallel()
			c := tierCache(t, tier.redis, Options[msg]{})
			const n = 1000
			var joined atomic.Int64
			allJoined := make(chan struct{})
			c.joined = func(int64) {
				if joined.Add(1) == n {
					close(allJoined)
				}
			}
			var loads atomic.Int64
			load := func(ctx context.Context, id int64) (msg, error) {
				loads.Add(1)
				// Hold the load until every caller has attached to a flight, so all of them
				// are concurrent with it: the counter is then exact, not timing-dependent.
				<-allJoined
				return wrapperspb.String("v"), nil
			}
			wave := func() {
				var wg sync.WaitGroup
				errs := make(chan error, n)
				for range n {
					wg.Go(func() {
						v, err := c.Get(context.Background(), 7, load)
						if err == nil && v.GetValue() != "v" {
							err = errors.New("wrong value " + v.GetValue())
						}
						if err != nil {
							errs <- err
						}
					})
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Fatal(err)
				}
			}
			wave()
			if got := loads.Load(); got != 1 {
				t.Fatalf("first wave: loader ran %d times, want 1", got)
			}
			if got := c.Stats().Collapsed; got != n-1 {
				t.Errorf("Collapsed = %d, want %d", got, n-1)
			}
			settle(c)
			wave()
			if got := loads.Load(); got != 1 {
				t.Fatalf("second wave: loader ran %d times in all, want 1", got)
			}
		})
	}
}

func TestCancelledCallerDoesNotFailOthers(t *testing.T) {
	t.Parallel()
	for _, tier := range tiers {
		t.Run(tier.name, func(t *testing.T) {
			t.Parallel()
			c := tierCache(t, tier.redis, Options[msg]{})
			var joined atomic.Int64
			bothJoined := make(chan struct{})
			c.joined = func(int64) {
				if joined.Add(1) == 2 {
					close(bothJoined)
				}
			}
			release := make(chan struct{})
			load := func(ctx context.Context, id int64) (msg, error) {
				<-release
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				return wrapperspb.String("v"), nil
			}
			firstCtx, cancel := context.WithCancel(context.Background())
			first := make(chan error, 1)
			go func() {
				_, err := c.Get(firstCtx, 1, load)
				first <- err
			}()
			second := make(chan error, 1)
			go func() {
				v, err := c.Get(context.Background(), 1, load)
				if err == nil && v.GetValue() != "v" {
					err = errors.New("wrong value " + v.GetValue())
				}
				second <- err
			}()
			<-bothJoined
			cancel()
			if err := <-first; !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled caller got %v, want context.Canceled", err)
			}
			close(release)
			if err := <-second; err != nil {
				t.Fatalf("the other caller failed: %v", err)
			}
		})
	}
}

// TestStaleSetRace replays the seed's bug deterministically: a reader misses and loads the old
// row, a write commits and invalidates, then the reader's load finishes. The old row must not
// be stored anywhere.
func TestStaleSetRace(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		redis       bool
		l1Items     int64
		twoInstance bool // the stale reader runs on another instance than the writer
		// deafReader stops the reader's subscriber, so it never hears the invalidation and
		// only the L2 compare-and-set can tell it the load is stale.
		deafReader bool
	}{
		{name: "l1 only", redis: false},
		{name: "l1 and redis, one instance", redis: true},
		{name: "redis only, one instance", redis: true, l1Items: -1},
		{name: "l1 and redis, reader on another instance", redis: true, twoInstance: true},
		{name: "l1 and redis, reader on a deaf instance", redis: true, twoInstance: true, deafReader: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := Options[msg]{L1MaxItems: tc.l1Items}
			if tc.redis {
				opts.Redis, opts.KeyPrefix = sharedRedis(t, "")
			}
			writer := newCache(t, opts)
			reader := writer
			switch {
			case tc.deafReader:
				ctx, cancel := context.WithCancel(context.Background())
				deaf := opts
				deaf.DegradedL1TTL = time.Hour
				reader = newCacheCtx(t, ctx, deaf)
				cancel()
				eventually(t, "the reader stops listening", func() bool { return !reader.Stats().Subscribed })
			case tc.twoInstance:
				reader = newCache(t, opts)
			}
			if tc.redis {
				waitSubscribed(t, writer)
				if !tc.deafReader {
					waitSubscribed(t, reader)
				}
			}
			d := newDB()
			d.set(1, "old")
			readOld, release := make(chan struct{}), make(chan struct{})
			var calls atomic.Int64
			load := func(ctx context.Context, id int64) (msg, error) {
				v, _ := d.read(id)
				if calls.Add(1) == 1 {
					close(readOld)
					<-release
				}
				return wrapperspb.String(v), nil
			}
			stale := make(chan string, 1)
			go func() {
				v, err := reader.Get(context.Background(), 1, load)
				if err != nil {
					t.Errorf("stale Get: %v", err)
				}
				stale <- v.GetValue()
			}()
			<-readOld

			d.set(1, "new") // the write commits,
			if err := writer.Invalidate(context.Background(), 1); err != nil {
				t.Fatal(err)
			}
			// and from now on the writer's instance serves it, even while the old load runs
			// (a Get that joined the old flight would wait for it: the deadline turns that
			// into a failure instead of a hang).
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			v, err := writer.Get(ctx, 1, load)
			cancel()
			if err != nil || v.GetValue() != "new" {
				close(release)
				t.Fatalf("Get on the writer after Invalidate = %q, %v; want new", v.GetValue(), err)
			}

			close(release)
			if v := <-stale; v != "old" {
				t.Fatalf("the racing Get returned %q; the test did not race", v)
			}
			settle(writer, reader)
			for range 3 {
				for _, c := range []*Cache[msg]{writer, reader} {
					if v, err := c.Get(context.Background(), 1, load); err != nil || v.GetValue() != "new" {
						t.Fatalf("Get after the race = %q, %v; the old row was cached", v.GetValue(), err)
					}
				}
			}
			if tc.redis {
				raw, err := opts.Redis.Get(context.Background(), writer.valKey(1)).Result()
				if err == nil {
					e, derr := writer.decode(raw, 0)
					if derr != nil || e.msg.GetValue() != "new" {
						t.Fatalf("Redis holds %q after the race", raw)
					}
				}
			}
			if reader.Stats().StaleFillsSkipped == 0 {
				t.Error("StaleFillsSkipped = 0; the stale fill was not the one refused")
			}
		})
	}
}

// TestReadYourWrites hammers one instance with reads while a writer commits and invalidates:
// a read that starts after Invalidate returned must never see an older version.
func TestReadYourWrites(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		redis   bool
		l1Items int64
	}{
		{"l1 only", false, 0},
		{"l1 only, tiny l1", false, 2},
		{"l1 and redis", true, 0},
		{"l1 and redis, tiny l1", true, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := tierCache(t, tc.redis, Options[msg]{L1MaxItems: tc.l1Items})
			const keys = 8
			var versions, published [keys]atomic.Int64
			load := func(ctx context.Context, id int64) (msg, error) {
				return wrapperspb.String(strconv.FormatInt(versions[id].Load(), 10)), nil
			}
			loadMany := func(ctx context.Context, ids []int64) (map[int64]msg, error) {
				out := make(map[int64]msg, len(ids))
				for _, id := range ids {
					out[id], _ = load(ctx, id)
				}
				return out, nil
			}
			check := func(id int64, floor int64, v msg) {
				got, err := strconv.ParseInt(v.GetValue(), 10, 64)
				if err != nil || got < floor {
					t.Errorf("id %d: read version %q after version %d was invalidated", id, v.GetValue(), floor)
				}
			}
			done := make(chan struct{})
			var wg sync.WaitGroup
			for range 3 {
				wg.Go(func() {
					for {
						select {
						case <-done:
							return
						default:
						}
						id := rand.Int64N(keys)
						if rand.IntN(2) == 0 {
							floor := published[id].Load()
							v, err := c.Get(context.Background(), id, load)
							if err != nil {
								t.Error(err)
								return
							}
							check(id, floor, v)
							continue
						}
						ids := []int64{id, (id + 1) % keys, (id + 3) % keys}
						var floors [3]int64
						for i, id := range ids {
							floors[i] = published[id].Load()
						}
						got, err := c.GetMany(context.Background(), ids, loadMany)
						if err != nil {
							t.Error(err)
							return
						}
						for i, id := range ids {
							check(id, floors[i], got[id])
						}
					}
				})
			}
			for i := range 300 {
				id := int64(i % keys)
				v := versions[id].Add(1)
				if err := c.Invalidate(context.Background(), id); err != nil {
					t.Fatal(err)
				}
				published[id].Store(v)
				if i%16 == 0 {
					time.Sleep(time.Millisecond) // let readers fill the caches between writes
				}
			}
			close(done)
			wg.Wait()
		})
	}
}

func TestNegativeCaching(t *testing.T) {
	t.Parallel()
	for _, tier := range tiers {
		t.Run(tier.name, func(t *testing.T) {
			t.Parallel()
			c := tierCache(t, tier.redis, Options[msg]{NegativeTTL: 10 * time.Second})
			d := newDB()
			for range 5 {
				if _, err := c.Get(context.Background(), 1, d.get); !errors.Is(err, ErrNotFound) {
					t.Fatalf("Get of a missing row = %v, want ErrNotFound", err)
				}
				settle(c)
			}
			if got := d.loads.Load(); got != 1 {
				t.Fatalf("loader ran %d times for repeated Gets of a missing row, want 1", got)
			}
			if tier.redis {
				ttl, err := c.rdb.PTTL(context.Background(), c.valKey(1)).Result()
				if err != nil {
					t.Fatal(err)
				}
				if ttl <= 8*time.Second || ttl > 11*time.Second {
					t.Errorf("negative entry TTL = %v, want 10s ±10%%", ttl)
				}
			}
			d.set(1, "created")
			if err := c.Invalidate(context.Background(), 1); err != nil {
				t.Fatal(err)
			}
			if got := mustGet(t, c, d, 1); got != "created" {
				t.Fatalf("Get after Invalidate = %q, want created", got)
			}
			if got := d.loads.Load(); got != 2 {
				t.Fatalf("loader ran %d times, want 2", got)
			}
		})
	}
}

func TestL2TTLIsJittered(t *testing.T) {
	t.Parallel()
	c := tierCache(t, true, Options[msg]{TTL: time.Hour})
	d := newDB()
	seen := map[time.Duration]bool{}
	for id := range int64(20) {
		d.set(id, "v")
		mustGet(t, c, d, id)
		ttl, err := c.rdb.PTTL(context.Background(), c.valKey(id)).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl < 53*time.Minute || ttl > 66*time.Minute {
			t.Fatalf("TTL = %v, want 1h ±10%%", ttl)
		}
		seen[ttl.Round(time.Second)] = true
	}
	if len(seen) < 5 {
		t.Errorf("20 keys got only %d distinct TTLs; jitter is missing", len(seen))
	}
}

func TestGetManyMixedTiers(t *testing.T) {
	t.Parallel()
	for _, tier := range tiers {
		t.Run(tier.name, func(t *testing.T) {
			t.Parallel()
			opts := Options[msg]{}
			if tier.redis {
				opts.Redis, opts.KeyPrefix = sharedRedis(t, "")
			}
			c := newCache(t, opts)
			if tier.redis {
				waitSubscribed(t, c)
			}
			d := newDB()
			for id := range int64(7) {
				d.set(id, "v"+strconv.FormatInt(id, 10))
			}
			d.set(7, "") // an empty message is a value, not a miss
			// 1 and 2 are in L1.
			mustGet(t, c, d, 1)
			mustGet(t, c, d, 2)
			settle(c)
			wantMissing := []int64{3, 4, 5, 6, 7, 8}
			if tier.redis {
				// 3 and 4 are only in Redis, put there by another instance.
				other := newCache(t, opts)
				mustGet(t, other, d, 3)
				mustGet(t, other, d, 4)
				wantMissing = []int64{5, 6, 7, 8}
			}
			d.takeBatches()
			before := c.Stats()

			got, err := c.GetMany(context.Background(), []int64{1, 2, 3, 4, 5, 6, 7, 8, 5, 1}, d.getMany)
			if err != nil {
				t.Fatal(err)
			}
			batches := d.takeBatches()
			if len(batches) != 1 {
				t.Fatalf("loader called %d times, want once: %v", len(batches), batches)
			}
			slices.Sort(batches[0])
			if !slices.Equal(batches[0], wantMissing) {
				t.Fatalf("loader asked for %v, want %v", batches[0], wantMissing)
			}
			for id := range int64(8) {
				want, _ := d.read(id)
				v, ok := got[id]
				if id == 0 {
					continue
				}
				if !ok || v.GetValue() != want {
					t.Errorf("id %d = %v (present %v), want %q", id, v, ok, want)
				}
			}
			if _, ok := got[8]; ok || len(got) != 7 {
				t.Errorf("result has %d ids (8 present: %v), want 1–7", len(got), ok)
			}
			after := c.Stats()
			if d := after.L1Hits - before.L1Hits; d != 2 {
				t.Errorf("L1 hits = %d, want 2", d)
			}
			if tier.redis {
				if d := after.L2Hits - before.L2Hits; d != 2 {
					t.Errorf("L2 hits = %d, want 2", d)
				}
			}

			// Everything, including the missing 8, is cached now.
			settle(c)
			again, err := c.GetMany(context.Background(), []int64{1, 2, 3, 4, 5, 6, 7, 8}, d.getMany)
			if err != nil {
				t.Fatal(err)
			}
			if b := d.takeBatches(); len(b) != 0 {
				t.Errorf("second GetMany loaded %v", b)
			}
			if len(again) != 7 {
				t.Errorf("second GetMany returned %d ids, want 7", len(again))
			}

			if m, err := c.GetMany(context.Background(), nil, d.getMany); err != nil || len(m) != 0 {
				t.Errorf("GetMany(nil) = %v, %v", m, err)
			}
		})
	}
}

func TestLoaderErrorsAreNotCached(t *testing.T) {
	t.Parallel()
	for _, tier := range tiers {
		t.Run(tier.name, func(t *testing.T) {
			t.Parallel()
			c := tierCache(t, tier.redis, Options[msg]{})
			boom := errors.New("db down")
			var calls atomic.Int64
			load := func(ctx context.Context, id int64) (msg, error) {
				switch calls.Add(1) {
				case 1:
					return nil, boom
				case 2:
					panic("loader bug")
				case 3:
					return nil, nil
				}
				return wrapperspb.String("ok"), nil
			}
			if _, err := c.Get(context.Background(), 1, load); !errors.Is(err, boom) {
				t.Fatalf("Get = %v, want the loader's error", err)
			}
			if _, err := c.Get(context.Background(), 1, load); err == nil {
				t.Fatal("a panicking loader gave no error")
			}
			if _, err := c.Get(context.Background(), 1, load); err == nil || errors.Is(err, ErrNotFound) {
				t.Fatalf("a nil message gave %v, want an error", err)
			}
			if v, err := c.Get(context.Background(), 1, load); err != nil || v.GetValue() != "ok" {
				t.Fatalf("Get after the errors = %v, %v", v, err)
			}
			if got := c.Stats().LoadErrors; got != 3 {
				t.Errorf("LoadErrors = %d, want 3", got)
			}
			_, err := c.GetMany(context.Background(), []int64{5}, func(ctx context.Context, ids []int64) (map[int64]msg, error) {
				return nil, boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("GetMany = %v, want the loader's error", err)
			}
		})
	}
}

func TestDroppedL1SetsStayCorrect(t *testing.T) {
	t.Parallel()
	for _, tier := range tiers {
		t.Run(tier.name, func(t *testing.T) {
			t.Parallel()
			c := tierCache(t, tier.redis, Options[msg]{L1MaxItems: 1})
			d := newDB()
			const n = 300
			for id := range int64(n) {
				d.set(id, "v"+strconv.FormatInt(id, 10))
			}
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Go(func() {
					for i := range 3 * n {
						id := int64((i*7 + w) % n)
						want := "v" + strconv.FormatInt(id, 10)
						v, err := c.Get(context.Background(), id, d.get)
						if err != nil || v.GetValue() != want {
							t.Errorf("Get(%d) = %v, %v; want %s", id, v, err, want)
							return
						}
					}
				})
			}
			wg.Wait()
			ids := make([]int64, n)
			for i := range ids {
				ids[i] = int64(i)
			}
			got, err := c.GetMany(context.Background(), ids, d.getMany)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if want := "v" + strconv.FormatInt(id, 10); got[id].GetValue() != want {
					t.Fatalf("GetMany[%d] = %v, want %s", id, got[id], want)
				}
			}
			if c.Stats().L1DroppedSets == 0 {
				t.Log("ristretto dropped no sets this run")
			}
		})
	}
}

func TestOptionsAreValidated(t *testing.T) {
	t.Parallel()
	newMsg := func() msg { return new(wrapperspb.StringValue) }
	cases := []struct {
		name string
		opts Options[msg]
	}{
		{"a name is required", Options[msg]{New: newMsg}},
		{"New is required", Options[msg]{Name: "x"}},
		{"TTL must not be negative", Options[msg]{Name: "x", New: newMsg, TTL: -time.Second}},
		{"RedisTimeout must not be negative", Options[msg]{Name: "x", New: newMsg, RedisTimeout: -time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if c, err := New(context.Background(), tc.opts); err == nil {
				_ = c.Close()
				t.Fatal("New accepted invalid options")
			}
		})
	}
}

func TestMetricsExportCounters(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	if NewMetrics(reg) != m {
		t.Fatal("a second NewMetrics on the same registry did not reuse the first")
	}
	c := tierCache(t, true, Options[msg]{Name: "metrics:test", Metrics: m})
	d := newDB()
	d.set(1, "v")
	mustGet(t, c, d, 1)
	settle(c)
	mustGet(t, c, d, 1)
	if err := c.Invalidate(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if _, err := New(context.Background(), Options[msg]{Name: "metrics:test", New: c.newMsg, Metrics: m}); err == nil {
		t.Fatal("two caches reported under one name")
	}

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]float64{}
	for _, f := range families {
		for _, mt := range f.GetMetric() {
			key := f.GetName()
			for _, l := range mt.GetLabel() {
				if l.GetName() == "tier" {
					key += "/" + l.GetValue()
				}
				if l.GetName() == "cache" && l.GetValue() != "metrics:test" {
					t.Errorf("unexpected cache label %q", l.GetValue())
				}
			}
			values[key] = mt.GetCounter().GetValue() + mt.GetGauge().GetValue()
		}
	}
	want := map[string]float64{
		"looklook_cache_hits_total/l1":            1,
		"looklook_cache_misses_total/l1":          1,
		"looklook_cache_misses_total/l2":          1,
		"looklook_cache_loads_total":              1,
		"looklook_cache_invalidations_total":      1,
		"looklook_cache_subscribed":               1,
		"looklook_cache_redis_errors_total":       0,
		"looklook_cache_l1_dropped_sets_total":    0,
		"looklook_cache_lost_invalidations_total": 0,
	}
	for k, v := range want {
		if got, ok := values[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	_ = c.Close()
	families, err = reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	if len(families) != 0 {
		t.Errorf("a closed cache still exports %d metric families", len(families))
	}
}

// TestL1HitDoesNotAllocate is not parallel: AllocsPerRun counts every goroutine's allocations.
func TestL1HitDoesNotAllocate(t *testing.T) {
	c := newCache(t, Options[msg]{})
	d := newDB()
	d.set(1, "v")
	mustGet(t, c, d, 1)
	settle(c)
	// The loader escapes to the flight, so a method value written at the call site would
	// allocate on every call: callers keep theirs in a variable or field, as here.
	load := d.get
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := c.Get(context.Background(), 1, load); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("an L1 hit allocates %v times", allocs)
	}
	if d.loads.Load() != 1 {
		t.Error("the reads were not L1 hits")
	}
}

// TestL1MaxBytesBoundsBySize fills L1 with 2 KiB values: bounded by count they all stay,
// bounded by 20 KiB only a handful do, and a value larger than the bound is served but never
// kept.
func TestL1MaxBytesBoundsBySize(t *testing.T) {
	t.Parallel()
	const n = 100
	d := newDB()
	for id := range int64(n) {
		d.set(id, strings.Repeat(strconv.FormatInt(id%10, 10), 2048))
	}
	d.set(n, strings.Repeat("x", 64<<10))
	// reloads reads every id twice and returns how many second reads had to load.
	reloads := func(c *Cache[msg]) int64 {
		ctx := context.Background()
		for id := range int64(n) {
			if _, err := c.Get(ctx, id, d.get); err != nil {
				t.Fatal(err)
			}
		}
		before := d.loads.Load()
		for id := range int64(n) {
			v, err := c.Get(ctx, id, d.get)
			if err != nil || len(v.GetValue()) != 2048 {
				t.Fatalf("Get(%d) = %d bytes, %v", id, len(v.GetValue()), err)
			}
		}
		return d.loads.Load() - before
	}
	if got := reloads(newCache(t, Options[msg]{L1MaxItems: 1000})); got > 5 {
		t.Fatalf("bounded by count (1,000 entries): %d of %d second reads loaded, want (nearly) none", got, n)
	}
	bounded := newCache(t, Options[msg]{L1MaxItems: 1000, L1MaxBytes: 20 << 10})
	if got := reloads(bounded); got < n-12 {
		t.Fatalf("bounded by 20 KiB: only %d of %d second reads loaded; L1 holds more than 20 KiB of 2 KiB values", got, n)
	}
	before := d.loads.Load()
	for range 3 {
		v, err := bounded.Get(context.Background(), n, d.get)
		if err != nil || len(v.GetValue()) != 64<<10 {
			t.Fatalf("oversized value = %d bytes, %v", len(v.GetValue()), err)
		}
	}
	if got := d.loads.Load() - before; got != 3 {
		t.Fatalf("a value larger than L1MaxBytes was loaded %d times in 3 reads, want 3 (never kept)", got)
	}
}
