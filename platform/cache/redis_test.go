package cache

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/looklook/looklook/platform/testenv"
)

func TestInvalidationReachesOtherInstances(t *testing.T) {
	t.Parallel()
	rdbA, prefix := sharedRedis(t, "")
	nameB := "looklook-cachetest-" + testenv.Suffix()
	rdbB := redisClient(t, testenv.RedisURL(), nameB)
	a := newCache(t, Options[msg]{Redis: rdbA, KeyPrefix: prefix, L1TTL: 10 * time.Minute})
	b := newCache(t, Options[msg]{Redis: rdbB, KeyPrefix: prefix, L1TTL: 10 * time.Minute})
	waitSubscribed(t, a, b)
	d := newDB()
	d.set(1, "v1")

	// readFromL1 reads id 1 on b and checks the read was an L1 hit, so only an invalidation
	// message can make b see a newer value within L1TTL.
	readFromL1 := func(want string) {
		t.Helper()
		mustGet(t, b, d, 1)
		settle(b)
		hits := b.Stats().L1Hits
		if got := mustGet(t, b, d, 1); got != want {
			t.Fatalf("b read %q, want %q", got, want)
		}
		if b.Stats().L1Hits != hits+1 {
			t.Fatal("b's read was not an L1 hit")
		}
	}
	write := func(v string) {
		t.Helper()
		d.set(1, v)
		if err := a.Invalidate(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		eventually(t, "b sees "+v, func() bool { return mustGet(t, b, d, 1) == v })
	}

	readFromL1("v1")
	write("v2")

	// Cut b's subscription: b purges its L1, resubscribes, and hears invalidations again.
	before := b.Stats()
	killSubscriber(t, rdbA, nameB)
	eventually(t, "b resubscribed", func() bool {
		s := b.Stats()
		return s.Subscribed && s.Subscriptions == before.Subscriptions+1
	})
	if got := b.Stats().L1Purges; got < before.L1Purges+2 {
		t.Errorf("L1Purges went from %d to %d; want a purge on the drop and one on the resubscribe", before.L1Purges, got)
	}
	readFromL1("v2")
	write("v3")
}

func TestRedisUnreachable(t *testing.T) {
	t.Parallel()
	rdb := redisClient(t, "redis://127.0.0.1:1/0", "")
	c := newCache(t, Options[msg]{Redis: rdb, KeyPrefix: "test:unreachable:", DegradedL1TTL: time.Minute})
	d := newDB()
	d.set(1, "v1")
	d.set(2, "v2")

	if got := mustGet(t, c, d, 1); got != "v1" {
		t.Fatalf("Get = %q", got)
	}
	settle(c)
	if got := mustGet(t, c, d, 1); got != "v1" {
		t.Fatalf("Get = %q", got)
	}
	if got := d.loads.Load(); got != 1 {
		t.Errorf("loader ran %d times; L1 should serve the second Get", got)
	}
	m, err := c.GetMany(context.Background(), []int64{1, 2, 3}, d.getMany)
	if err != nil || len(m) != 2 || m[2].GetValue() != "v2" {
		t.Fatalf("GetMany = %v, %v", m, err)
	}
	d.set(1, "v1b")
	if err := c.Invalidate(context.Background(), 1); err != nil {
		t.Fatalf("Invalidate returned %v with Redis down", err)
	}
	if got := mustGet(t, c, d, 1); got != "v1b" {
		t.Fatalf("Get after Invalidate = %q, want v1b", got)
	}
	s := c.Stats()
	if s.RedisErrors == 0 || s.Subscribed {
		t.Errorf("stats = %+v; want Redis errors and no subscription", s)
	}
}

func TestRedisOutageAndReturn(t *testing.T) {
	t.Parallel()
	srv := startPrivateRedis(t)
	rdb := redisClient(t, srv.url(), "")
	// Without L1 every Get goes to Redis, so L2 hits show when Redis serves again.
	c := newCache(t, Options[msg]{Redis: rdb, KeyPrefix: "test:", L1MaxItems: -1})
	d := newDB()
	d.set(1, "v1")
	d.set(2, "v2")
	mustGet(t, c, d, 1)
	mustGet(t, c, d, 1)
	if s := c.Stats(); s.L2Hits != 1 || s.Loads != 1 {
		t.Fatalf("before the outage: %+v", s)
	}

	srv.stop()
	for range 3 {
		if got := mustGet(t, c, d, 1); got != "v1" {
			t.Fatalf("Get during the outage = %q", got)
		}
	}
	if m, err := c.GetMany(context.Background(), []int64{1, 2}, d.getMany); err != nil || len(m) != 2 {
		t.Fatalf("GetMany during the outage = %v, %v", m, err)
	}
	if err := c.Invalidate(context.Background(), 2); err != nil {
		t.Fatalf("Invalidate during the outage: %v", err)
	}
	if c.Stats().RedisErrors == 0 {
		t.Fatal("no Redis errors counted during the outage")
	}

	srv.start()
	eventually(t, "L2 hits resume", func() bool {
		hits := c.Stats().L2Hits
		mustGet(t, c, d, 1)
		return c.Stats().L2Hits > hits
	})
}

// TestInvalidationDuringOutageIsRetried writes while Redis is down; Redis comes back with the
// old row (from its dump), and the queued invalidation must still remove it.
func TestInvalidationDuringOutageIsRetried(t *testing.T) {
	t.Parallel()
	srv := startPrivateRedis(t)
	rdb := redisClient(t, srv.url(), "")
	c := newCache(t, Options[msg]{Redis: rdb, KeyPrefix: "test:", L1MaxItems: -1})
	d := newDB()
	d.set(1, "old")
	mustGet(t, c, d, 1)
	if err := rdb.Save(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}

	srv.stop()
	d.set(1, "new")
	if err := c.Invalidate(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	srv.start()
	eventually(t, "the queued invalidation is applied", func() bool { return mustGet(t, c, d, 1) == "new" })
	if s := c.Stats(); s.LostInvalidations != 0 {
		t.Errorf("LostInvalidations = %d", s.LostInvalidations)
	}
}

func TestUnreadableL2ValueIsReloaded(t *testing.T) {
	t.Parallel()
	c := tierCache(t, true, Options[msg]{L1MaxItems: -1})
	if err := c.rdb.Set(context.Background(), c.valKey(1), "\xff\xff\xff", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	d := newDB()
	d.set(1, "v")
	if got := mustGet(t, c, d, 1); got != "v" {
		t.Fatalf("Get = %q", got)
	}
	if d.loads.Load() != 1 {
		t.Fatal("the unreadable value was not reloaded")
	}
}

func TestContextEndStopsSubscriber(t *testing.T) {
	t.Parallel()
	rdb, prefix := sharedRedis(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	c, err := New(ctx, Options[msg]{Name: "test", New: newCache(t, Options[msg]{}).newMsg, Redis: rdb, KeyPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitSubscribed(t, c)
	cancel()
	eventually(t, "the subscriber stops", func() bool { return !c.Stats().Subscribed })
	d := newDB()
	d.set(1, "v")
	if got := mustGet(t, c, d, 1); got != "v" {
		t.Fatalf("Get after the context ended = %q", got)
	}
}

func TestInvalidateOutlivesItsCaller(t *testing.T) {
	t.Parallel()
	c := tierCache(t, true, Options[msg]{})
	d := newDB()
	d.set(1, "old")
	mustGet(t, c, d, 1)
	d.set(1, "new")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Invalidate(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Invalidate with a cancelled context = %v, want context.Canceled", err)
	}
	if n, err := c.rdb.Exists(context.Background(), c.valKey(1)).Result(); err != nil || n != 0 {
		t.Fatalf("the L2 value survived an invalidation whose caller gave up (exists %d, %v)", n, err)
	}
	if got := mustGet(t, c, d, 1); got != "new" {
		t.Fatalf("Get = %q, want new", got)
	}
}

func TestLargeInvalidate(t *testing.T) {
	t.Parallel()
	c := tierCache(t, true, Options[msg]{})
	d := newDB()
	ids := make([]int64, 1000)
	for i := range ids {
		ids[i] = int64(i)
		d.set(ids[i], "old")
	}
	if _, err := c.GetMany(context.Background(), ids, d.getMany); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		d.set(id, "new")
	}
	if err := c.Invalidate(context.Background(), ids...); err != nil {
		t.Fatal(err)
	}
	d.takeBatches()
	got, err := c.GetMany(context.Background(), ids, d.getMany)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if got[id].GetValue() != "new" {
			t.Fatalf("id %d = %v after Invalidate, want new", id, got[id])
		}
	}
	if b := d.takeBatches(); len(b) != 1 || len(b[0]) != len(ids) {
		t.Fatalf("reload batches = %d, want one of %d ids", len(b), len(ids))
	}
	if s := c.Stats(); s.RedisErrors != 0 {
		t.Errorf("RedisErrors = %d", s.RedisErrors)
	}
}

// TestQuietSubscriptionStaysUp leaves the channel silent for several health intervals: the
// subscriber's pings must keep the subscription (and L1) as they are.
func TestQuietSubscriptionStaysUp(t *testing.T) {
	t.Parallel()
	a := tierCache(t, true, Options[msg]{})
	before := a.Stats()
	time.Sleep(3*healthInterval + healthInterval/2)
	after := a.Stats()
	if !after.Subscribed || after.Subscriptions != before.Subscriptions || after.L1Purges != before.L1Purges {
		t.Fatalf("a quiet channel disturbed the subscription: before %+v, after %+v", before, after)
	}
}

// failingReads makes the client's reads fail while on is set, as a connection pool still
// refusing to dial does for a moment after Redis returns, while the subscription (its own
// connection) is already back.
type failingReads struct{ on atomic.Bool }

func (f *failingReads) DialHook(next redis.DialHook) redis.DialHook { return next }

func (f *failingReads) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if f.on.Load() && (cmd.Name() == "mget" || cmd.Name() == "get") {
			return errors.New("injected: dial tcp: connection refused")
		}
		return next(ctx, cmd)
	}
}

func (f *failingReads) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// TestValueRedisMissedIsRetriedSoon reads a row while Redis reads fail but the subscription is
// up: the row is served and kept in L1 only DegradedL1TTL, so the next read after that stores
// it in Redis, instead of L1 holding it out of Redis for the whole L1TTL.
func TestValueRedisMissedIsRetriedSoon(t *testing.T) {
	t.Parallel()
	rdb, prefix := sharedRedis(t, "")
	fail := &failingReads{}
	rdb.AddHook(fail)
	c := newCache(t, Options[msg]{Redis: rdb, KeyPrefix: prefix, L1TTL: time.Hour, DegradedL1TTL: 50 * time.Millisecond})
	waitSubscribed(t, c)
	d := newDB()
	d.set(1, "v1")

	fail.on.Store(true)
	if got := mustGet(t, c, d, 1); got != "v1" {
		t.Fatalf("Get while Redis reads fail = %q", got)
	}
	fail.on.Store(false)
	if s := c.Stats(); s.Loads != 1 || s.RedisErrors == 0 {
		t.Fatalf("after the failed read: %+v", s)
	}
	time.Sleep(100 * time.Millisecond)
	if got := mustGet(t, c, d, 1); got != "v1" {
		t.Fatalf("Get after reads work again = %q", got)
	}
	if n, err := rdb.Exists(context.Background(), c.valKey(1)).Result(); err != nil || n != 1 {
		t.Fatalf("the row is not in Redis after reads work again (exists %d, %v); loads %d: L1 kept it at the full TTL",
			n, err, c.Stats().Loads)
	}
}
