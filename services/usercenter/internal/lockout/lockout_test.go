package lockout

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/looklook/looklook/platform/testenv"
)

// limiter is what app.Limiter asks of both implementations.
type limiter interface {
	Locked(ctx context.Context, mobile, client string) bool
	Failed(ctx context.Context, mobile, client string)
	Succeeded(ctx context.Context, mobile string)
}

var policy = Policy{MaxPerMobile: 3, MaxPerClient: 5, Window: time.Minute}

// implementations are the limiters every behaviour test runs against.
func implementations() []struct {
	name string
	new  func(t *testing.T) limiter
} {
	return []struct {
		name string
		new  func(t *testing.T) limiter
	}{
		{"memory", func(t *testing.T) limiter { return NewMemory(policy) }},
		{"redis", func(t *testing.T) limiter {
			client, prefix := testenv.Redis(t)
			return NewRedis(client, prefix, policy, testenv.Logger(t))
		}},
		{"redis down", func(t *testing.T) limiter { return NewRedis(deadRedis(t), "x:", policy, testenv.Logger(t)) }},
	}
}

// deadRedis returns a client of a port nothing listens on.
func deadRedis(t *testing.T) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestLocksAMobileAfterMaxFailures(t *testing.T) {
	t.Parallel()
	for _, impl := range implementations() {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			l := impl.new(t)
			for i := range policy.MaxPerMobile {
				if l.Locked(ctx, "13800000001", fmt.Sprintf("10.0.0.%d", i)) {
					t.Fatalf("locked after %d failures, want %d", i, policy.MaxPerMobile)
				}
				l.Failed(ctx, "13800000001", fmt.Sprintf("10.0.0.%d", i))
			}
			if !l.Locked(ctx, "13800000001", "10.0.0.99") {
				t.Fatal("mobile not locked after max failures from various clients")
			}
			if l.Locked(ctx, "13800000002", "10.0.0.98") {
				t.Fatal("another mobile from a fresh client is locked")
			}
		})
	}
}

func TestLocksAClientAcrossMobiles(t *testing.T) {
	t.Parallel()
	for _, impl := range implementations() {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			l := impl.new(t)
			for i := range policy.MaxPerClient {
				l.Failed(ctx, fmt.Sprintf("1380000%04d", i), "192.0.2.1")
			}
			if !l.Locked(ctx, "13900000000", "192.0.2.1") {
				t.Fatal("client not locked after max failures across mobiles")
			}
			if l.Locked(ctx, "13900000000", "192.0.2.2") {
				t.Fatal("the same mobile from another client is locked")
			}
		})
	}
}

func TestSuccessClearsTheMobileOnly(t *testing.T) {
	t.Parallel()
	for _, impl := range implementations() {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			l := impl.new(t)
			for range policy.MaxPerMobile - 1 {
				l.Failed(ctx, "13800000001", "192.0.2.1")
			}
			l.Succeeded(ctx, "13800000001")
			for range policy.MaxPerMobile - 1 {
				l.Failed(ctx, "13800000001", "192.0.2.1")
			}
			if l.Locked(ctx, "13800000001", "192.0.2.3") {
				t.Fatal("mobile locked although a success cleared its earlier failures")
			}
			// The client's failures survive the success: 4 so far, one more reaches 5.
			l.Failed(ctx, "13800000009", "192.0.2.1")
			if !l.Locked(ctx, "13800000008", "192.0.2.1") {
				t.Fatal("a success on one mobile reset the client's count")
			}
		})
	}
}

func TestEmptyClientIsNotCounted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := NewMemory(Policy{MaxPerMobile: 100, MaxPerClient: 1, Window: time.Minute})
	l.Failed(ctx, "13800000001", "")
	if l.Locked(ctx, "13800000002", "") {
		t.Fatal("failures without a client address were pooled under the empty address")
	}
}

func TestMemoryWindowExpires(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	l := NewMemory(policy)
	l.now = func() time.Time { return now }
	for range policy.MaxPerMobile {
		l.Failed(ctx, "13800000001", "")
	}
	now = now.Add(policy.Window - time.Second)
	if !l.Locked(ctx, "13800000001", "") {
		t.Fatal("not locked within the window")
	}
	// Failures after the window starts do not extend it.
	now = now.Add(time.Second)
	if l.Locked(ctx, "13800000001", "") {
		t.Fatal("still locked when the window has ended")
	}
	l.Failed(ctx, "13800000001", "")
	if l.Locked(ctx, "13800000001", "") {
		t.Fatal("a failure after the window ended counted on top of the old ones")
	}
}

func TestMemoryIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := NewMemory(policy)
	for i := range maxMemoryKeys + 10 {
		l.Failed(ctx, fmt.Sprint(i), "")
	}
	if n := len(l.counters); n > maxMemoryKeys {
		t.Fatalf("%d counters kept, bound is %d", n, maxMemoryKeys)
	}
}

func TestMemoryIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := NewMemory(Policy{MaxPerMobile: 1000, MaxPerClient: 1000, Window: time.Minute})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				l.Failed(ctx, "13800000001", "192.0.2.1")
				l.Locked(ctx, "13800000001", "192.0.2.1")
			}
		})
	}
	wg.Wait()
	if got := l.counters["mobile:13800000001"].failures; got != 800 {
		t.Fatalf("counted %d failures, want 800", got)
	}
}

func TestRedisKeysExpireAndUsePrefix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client, prefix := testenv.Redis(t)
	l := NewRedis(client, prefix, policy, testenv.Logger(t))
	l.Failed(ctx, "13800000001", "192.0.2.1")
	l.Failed(ctx, "13800000001", "192.0.2.1")
	for key, want := range map[string]string{prefix + "mobile:13800000001": "2", prefix + "client:192.0.2.1": "2"} {
		got, err := client.Get(ctx, key).Result()
		if err != nil || got != want {
			t.Fatalf("GET %s = %q, %v; want %q", key, got, err, want)
		}
		ttl, err := client.TTL(ctx, key).Result()
		if err != nil || ttl <= 0 || ttl > policy.Window {
			t.Fatalf("TTL %s = %v, %v; want within (0, %v]", key, ttl, err, policy.Window)
		}
	}
	l.Succeeded(ctx, "13800000001")
	if n, _ := client.Exists(ctx, prefix+"mobile:13800000001").Result(); n != 0 {
		t.Fatal("success did not delete the mobile's counter")
	}
}

func TestRedisUsesEveryFallbackCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Failures counted while Redis was down still lock once it answers again.
	client, prefix := testenv.Redis(t)
	l := NewRedis(client, prefix, policy, testenv.Logger(t))
	for range policy.MaxPerMobile {
		l.fallback.Failed(ctx, "13800000001", "")
	}
	if !l.Locked(ctx, "13800000001", "") {
		t.Fatal("fallback counts ignored once Redis answers")
	}
}
