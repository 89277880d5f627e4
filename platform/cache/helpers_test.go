package cache

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/looklook/looklook/platform/testenv"
)

type msg = *wrapperspb.StringValue

// db stands in for a table: the loaders count their calls the way a DB-side hook would.
type db struct {
	mu      sync.Mutex
	rows    map[int64]string
	loads   atomic.Int64
	batches [][]int64
}

func newDB() *db { return &db{rows: make(map[int64]string)} }

func (d *db) set(id int64, v string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.rows[id] = v
}

func (d *db) read(id int64) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	v, ok := d.rows[id]
	return v, ok
}

func (d *db) get(_ context.Context, id int64) (msg, error) {
	d.loads.Add(1)
	v, ok := d.read(id)
	if !ok {
		return nil, ErrNotFound
	}
	return wrapperspb.String(v), nil
}

func (d *db) getMany(_ context.Context, ids []int64) (map[int64]msg, error) {
	d.loads.Add(1)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.batches = append(d.batches, slices.Clone(ids))
	out := make(map[int64]msg, len(ids))
	for _, id := range ids {
		if v, ok := d.rows[id]; ok {
			out[id] = wrapperspb.String(v)
		}
	}
	return out, nil
}

func (d *db) takeBatches() [][]int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	b := d.batches
	d.batches = nil
	return b
}

// sharedRedis returns a cache-ready client of the test Redis server and a fresh key prefix.
// name, when set, becomes the client name of every connection, so a test can find and kill
// them.
func sharedRedis(tb testing.TB, name string) (*redis.Client, string) {
	tb.Helper()
	_, prefix := testenv.Redis(tb)
	return redisClient(tb, testenv.RedisURL(), name), prefix
}

func redisClient(tb testing.TB, url, name string) *redis.Client {
	tb.Helper()
	rdb, err := NewRedisClient(url)
	if err != nil {
		tb.Fatal(err)
	}
	if name != "" {
		opts := rdb.Options()
		_ = rdb.Close()
		opts.ClientName = name
		rdb = redis.NewClient(opts)
	}
	tb.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// newCache builds a cache of StringValue closed at the end of the test.
func newCache(tb testing.TB, opts Options[msg]) *Cache[msg] {
	tb.Helper()
	return newCacheCtx(tb, context.Background(), opts)
}

// newCacheCtx is newCache with the context that bounds the cache's subscriber.
func newCacheCtx(tb testing.TB, ctx context.Context, opts Options[msg]) *Cache[msg] {
	tb.Helper()
	opts.New = func() msg { return new(wrapperspb.StringValue) }
	if opts.Name == "" {
		opts.Name = "test"
	}
	if opts.Logger == nil {
		opts.Logger = testenv.Logger(tb)
	}
	if opts.Redis != nil && opts.RedisTimeout == 0 {
		// A loaded machine running -race can take longer than 50ms for a round trip, and a
		// timeout would turn a test about invalidation into one about fall-through. Outages
		// are tested with servers that refuse connections, which fail at once.
		opts.RedisTimeout = time.Second
	}
	c, err := New(ctx, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// settle waits until L1 applied every Set made so far (ristretto applies them asynchronously).
// Only tests call it: the cache itself never depends on a Set landing.
func settle(cs ...*Cache[msg]) {
	for _, c := range cs {
		if c.rc != nil {
			c.rc.Wait()
		}
	}
}

// eventually polls cond until it holds, failing the test after 10 seconds.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	testenv.Eventually(tb, 10*time.Second, what, func() error {
		if cond() {
			return nil
		}
		return errors.New("not yet")
	})
}

func waitSubscribed(tb testing.TB, cs ...*Cache[msg]) {
	tb.Helper()
	for _, c := range cs {
		eventually(tb, "the cache is subscribed", func() bool { return c.Stats().Subscribed })
	}
}

func mustGet(tb testing.TB, c *Cache[msg], d *db, id int64) string {
	tb.Helper()
	v, err := c.Get(context.Background(), id, d.get)
	if err != nil {
		tb.Fatalf("Get(%d): %v", id, err)
	}
	return v.GetValue()
}

// privateRedis is a redis-server this test owns, so it can kill and restart it.
type privateRedis struct {
	tb   testing.TB
	port int
	dir  string
	cmd  *exec.Cmd
}

func startPrivateRedis(tb testing.TB) *privateRedis {
	tb.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		tb.Skip("redis-server is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	r := &privateRedis{tb: tb, port: port, dir: tb.TempDir()}
	r.start()
	tb.Cleanup(r.stop)
	return r
}

func (r *privateRedis) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *privateRedis) start() {
	r.tb.Helper()
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", r.dir, "--dbfilename", "dump.rdb")
	if err := r.cmd.Start(); err != nil {
		r.tb.Fatalf("start redis-server: %v", err)
	}
	admin := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", r.port), MaxRetries: -1})
	defer admin.Close()
	eventually(r.tb, "the private redis-server answers", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return admin.Ping(ctx).Err() == nil
	})
}

func (r *privateRedis) stop() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// killSubscriber kills the pub/sub connections of the clients named name.
func killSubscriber(tb testing.TB, admin *redis.Client, name string) {
	tb.Helper()
	ctx := context.Background()
	list, err := admin.ClientList(ctx).Result()
	if err != nil {
		tb.Fatal(err)
	}
	killed := 0
	for line := range strings.Lines(list) {
		fields := map[string]string{}
		for f := range strings.FieldsSeq(line) {
			if k, v, ok := strings.Cut(f, "="); ok {
				fields[k] = v
			}
		}
		if fields["name"] != name || fields["sub"] == "0" || fields["sub"] == "" {
			continue
		}
		if err := admin.ClientKillByFilter(ctx, "ID", fields["id"]).Err(); err != nil {
			tb.Fatal(err)
		}
		killed++
	}
	if killed == 0 {
		tb.Fatalf("no subscriber connection named %s in CLIENT LIST", name)
	}
}
