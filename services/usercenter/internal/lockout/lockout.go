// Package lockout counts failed sign-in attempts per mobile number and per client address and
// locks either out for the rest of a window once it reaches its limit.
//
// It is hand-written on purpose. Rate-limit libraries (golang.org/x/time/rate, redis_rate,
// ulule/limiter) model a budget that every request spends, whether it succeeds or not; sign-in
// protection needs something else: only failures count, checking must not spend anything, and
// a success clears the account's count. Expressed with those libraries it would take more code
// than the small fixed-window counter below.
package lockout

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Policy says how many failures lock out a mobile number or a client, and for how long.
type Policy struct {
	// MaxPerMobile is the number of failures on one mobile number that locks it.
	MaxPerMobile int
	// MaxPerClient is the number of failures from one client address, across every mobile
	// number, that locks it; it stops one client from trying a password on many accounts.
	MaxPerClient int
	// Window is how long a count lives, from its first failure; a lock-out ends with it.
	Window time.Duration
}

// DefaultRedisPrefix is where the Redis counters live.
const DefaultRedisPrefix = "looklook:usercenter:loginfail:"

// maxMemoryKeys bounds the in-memory counters (about 100 bytes each), so a flood of made-up
// mobile numbers or addresses cannot exhaust memory.
const maxMemoryKeys = 100_000

// redisTimeout bounds one Redis round trip: a slow Redis must make sign-in fall back to memory,
// not hang it.
const redisTimeout = 500 * time.Millisecond

// keys returns the counter keys an attempt touches. An empty client address (a caller that did
// not say) is not counted per client.
func keys(mobile, client string) []string {
	k := []string{"mobile:" + mobile}
	if client != "" {
		k = append(k, "client:"+client)
	}
	return k
}

// limit is the failure limit of the i-th key returned by keys.
func (p Policy) limit(i int) int {
	if i == 0 {
		return p.MaxPerMobile
	}
	return p.MaxPerClient
}

// Memory keeps the counters in this process: the choice when there is no Redis, and the
// fallback when Redis fails.
type Memory struct {
	policy Policy
	now    func() time.Time

	mu       sync.Mutex
	counters map[string]counter
}

type counter struct {
	failures int
	expires  time.Time
}

// NewMemory returns an in-memory limiter.
func NewMemory(p Policy) *Memory {
	return &Memory{policy: p, now: time.Now, counters: make(map[string]counter)}
}

// Locked reports whether the mobile number or the client has reached its limit.
func (m *Memory) Locked(_ context.Context, mobile, client string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for i, k := range keys(mobile, client) {
		if c, ok := m.counters[k]; ok && now.Before(c.expires) && c.failures >= m.policy.limit(i) {
			return true
		}
	}
	return false
}

// Failed counts a failed attempt against the mobile number and the client.
func (m *Memory) Failed(_ context.Context, mobile, client string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for _, k := range keys(mobile, client) {
		c, ok := m.counters[k]
		if !ok || !now.Before(c.expires) {
			if !ok {
				m.makeRoom(now)
			}
			c = counter{expires: now.Add(m.policy.Window)}
		}
		c.failures++
		m.counters[k] = c
	}
}

// Succeeded clears the mobile number's failures; the client's stay, so a client that owns one
// account cannot reset its count while guessing others.
func (m *Memory) Succeeded(_ context.Context, mobile string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.counters, "mobile:"+mobile)
}

// makeRoom keeps the map under its bound: it drops expired counters and, if every counter is
// live, an arbitrary one. Losing a live counter under a flood is the lesser evil to running out
// of memory; the Redis limiter has no such bound.
func (m *Memory) makeRoom(now time.Time) {
	if len(m.counters) < maxMemoryKeys {
		return
	}
	for k, c := range m.counters {
		if !now.Before(c.expires) {
			delete(m.counters, k)
		}
	}
	for k := range m.counters {
		if len(m.counters) < maxMemoryKeys {
			break
		}
		delete(m.counters, k)
	}
}

// Redis keeps the counters in Redis, shared by every usercenter instance. When Redis fails it
// logs and uses an in-memory limiter for that call: a sign-in never fails because Redis is down.
type Redis struct {
	client   redis.Cmdable
	prefix   string
	policy   Policy
	fallback *Memory
	logger   *slog.Logger
}

// NewRedis returns a Redis limiter whose keys start with prefix (DefaultRedisPrefix in
// production; tests pass their own).
func NewRedis(client redis.Cmdable, prefix string, p Policy, logger *slog.Logger) *Redis {
	return &Redis{client: client, prefix: prefix, policy: p, fallback: NewMemory(p), logger: logger}
}

// Locked reports whether the mobile number or the client has reached its limit, in Redis or in
// the fallback counters kept while Redis was failing.
func (r *Redis) Locked(ctx context.Context, mobile, client string) bool {
	if r.fallback.Locked(ctx, mobile, client) {
		return true
	}
	ks := r.keys(mobile, client)
	ctx, cancel := context.WithTimeout(ctx, redisTimeout)
	defer cancel()
	vals, err := r.client.MGet(ctx, ks...).Result()
	if err != nil {
		r.logger.WarnContext(ctx, "login limiter: redis failed, using memory", "op", "check", "error", err)
		return false
	}
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue // nil: no failures
		}
		if n, err := strconv.Atoi(s); err == nil && n >= r.policy.limit(i) {
			return true
		}
	}
	return false
}

// Failed counts a failed attempt. INCR and EXPIRE NX run in one MULTI, so a counter never
// lives without its expiry (which would lock an account forever), and the window starts at the
// first failure instead of sliding with every new one.
func (r *Redis) Failed(ctx context.Context, mobile, client string) {
	ks := r.keys(mobile, client)
	tctx, cancel := context.WithTimeout(ctx, redisTimeout)
	defer cancel()
	_, err := r.client.TxPipelined(tctx, func(p redis.Pipeliner) error {
		for _, k := range ks {
			p.Incr(tctx, k)
			p.ExpireNX(tctx, k, r.policy.Window)
		}
		return nil
	})
	if err != nil {
		r.logger.WarnContext(ctx, "login limiter: redis failed, using memory", "op", "count", "error", err)
		r.fallback.Failed(ctx, mobile, client)
	}
}

// Succeeded clears the mobile number's failures in Redis and in the fallback counters.
func (r *Redis) Succeeded(ctx context.Context, mobile string) {
	r.fallback.Succeeded(ctx, mobile)
	tctx, cancel := context.WithTimeout(ctx, redisTimeout)
	defer cancel()
	if err := r.client.Del(tctx, r.prefix+"mobile:"+mobile).Err(); err != nil {
		r.logger.WarnContext(ctx, "login limiter: redis failed", "op", "clear", "error", err)
	}
}

func (r *Redis) keys(mobile, client string) []string {
	ks := keys(mobile, client)
	for i := range ks {
		ks[i] = r.prefix + ks[i]
	}
	return ks
}
