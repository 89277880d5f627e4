package cache

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
	"google.golang.org/protobuf/proto"
)

// notFound is the L2 value of a row the loader did not find.
const notFound = "\x00"

// fillScript stores a loaded value only if the id's generation token is still the one the
// reader saw before it loaded (a missing token reads as ""). KEYS: value, token. ARGV: token
// seen, value, TTL in milliseconds. Returns 1 if stored.
var fillScript = redis.NewScript(`
local g = redis.call('GET', KEYS[2])
if (g or '') ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`)

// invalidateScript gives an id a fresh generation token and deletes its value, atomically, so
// no reader sees the new token with the old value. KEYS: value, token. ARGV: new token, token
// TTL in milliseconds.
var invalidateScript = redis.NewScript(`
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('DEL', KEYS[1])
return 1
`)

// NewRedisClient returns a client for url (redis://… or rediss://…, as redis.ParseURL reads
// it) set up the way the cache needs: operations honour their context's deadline (so
// RedisTimeout holds), failed commands and dials are not retried (the cache falls through to
// the loader instead, and its subscriber has its own backoff), dialling gives up after a
// second, and the maintenance-notification handshake of managed Redis offerings is off.
func NewRedisClient(url string) (*redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("cache: redis URL: %w", err)
	}
	opts.ContextTimeoutEnabled = true
	opts.MaxRetries = -1
	opts.DialTimeout = time.Second
	opts.DialerRetries = 1
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return redis.NewClient(opts), nil
}

func (c *Cache[V]) valKey(id int64) string {
	return c.keyPrefix + "{" + strconv.FormatInt(id, 10) + "}"
}

func (c *Cache[V]) genKey(id int64) string {
	return c.keyPrefix + "gen:{" + strconv.FormatInt(id, 10) + "}"
}

// jitter spreads d by ±10% so keys written together do not expire together.
func jitter(d time.Duration) time.Duration {
	spread := int64(d) / 10
	if spread <= 0 {
		return d
	}
	return d + time.Duration(rand.Int64N(2*spread+1)-spread)
}

// encode returns e's L2 value and its jittered TTL (at least a millisecond, the PX unit).
func (c *Cache[V]) encode(e *entry[V]) (string, time.Duration, error) {
	if !e.found {
		return notFound, max(time.Millisecond, jitter(c.negTTL)), nil
	}
	b, err := proto.Marshal(e.msg)
	if err != nil {
		return "", 0, err
	}
	return string(b), max(time.Millisecond, jitter(c.ttl)), nil
}

func (c *Cache[V]) decode(s string, epoch uint64) (*entry[V], error) {
	if s == notFound {
		return &entry[V]{epoch: epoch}, nil
	}
	msg := c.newMsg()
	if err := proto.Unmarshal([]byte(s), msg); err != nil {
		return nil, err
	}
	return &entry[V]{msg: msg, found: true, epoch: epoch}, nil
}

// l2Get reads id's value and generation token in one round trip.
func (c *Cache[V]) l2Get(ctx context.Context, id int64) (val, token string, hit bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.redisTimeout)
	defer cancel()
	res, err := c.rdb.MGet(ctx, c.valKey(id), c.genKey(id)).Result()
	if err != nil {
		return "", "", false, err
	}
	if len(res) != 2 {
		return "", "", false, fmt.Errorf("MGET returned %d values for 2 keys", len(res))
	}
	token, _ = res[1].(string)
	val, hit = res[0].(string)
	return val, token, hit, nil
}

// l2GetMany reads the values (nil when absent) and tokens of ids in one MGET.
func (c *Cache[V]) l2GetMany(ctx context.Context, ids []int64) ([]*string, []string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.redisTimeout)
	defer cancel()
	keys := make([]string, 0, 2*len(ids))
	for _, id := range ids {
		keys = append(keys, c.valKey(id))
	}
	for _, id := range ids {
		keys = append(keys, c.genKey(id))
	}
	res, err := c.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, nil, err
	}
	if len(res) != len(keys) {
		return nil, nil, fmt.Errorf("MGET returned %d values for %d keys", len(res), len(keys))
	}
	vals := make([]*string, len(ids))
	tokens := make([]string, len(ids))
	for i := range ids {
		if s, ok := res[i].(string); ok {
			vals[i] = &s
		}
		tokens[i], _ = res[len(ids)+i].(string)
	}
	return vals, tokens, nil
}

// l2Fill stores e for id if id's token is still token, and tells whether it did.
func (c *Cache[V]) l2Fill(ctx context.Context, id int64, e *entry[V], token string) (bool, error) {
	val, ttl, err := c.encode(e)
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.redisTimeout)
	defer cancel()
	n, err := fillScript.Run(ctx, c.rdb, []string{c.valKey(id), c.genKey(id)}, token, val, ttl.Milliseconds()).Int()
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

// l2FillMany is l2Fill for many ids in one pipeline.
func (c *Cache[V]) l2FillMany(ctx context.Context, ids []int64, entries []*entry[V], tokens []string) ([]bool, error) {
	calls := make([]scriptCall, len(ids))
	for i, id := range ids {
		val, ttl, err := c.encode(entries[i])
		if err != nil {
			return nil, err
		}
		calls[i] = scriptCall{keys: []string{c.valKey(id), c.genKey(id)}, args: []any{tokens[i], val, ttl.Milliseconds()}}
	}
	ctx, cancel := context.WithTimeout(ctx, c.redisTimeout)
	defer cancel()
	cmds, err := runScripts(ctx, c.rdb, fillScript, calls, nil)
	if err != nil {
		return nil, err
	}
	stored := make([]bool, len(ids))
	for i, cmd := range cmds {
		n, err := cmd.Int()
		if err != nil {
			return nil, err
		}
		stored[i] = n == 1
	}
	return stored, nil
}

// invalidateChunk is how many ids one invalidation pipeline carries, so a large Invalidate
// is not one pipeline that can never finish within RedisTimeout.
const invalidateChunk = 256

// invalidateRedis gives ids fresh tokens, deletes their values and publishes them: one
// pipeline, bounded by RedisTimeout, per invalidateChunk ids. It returns the ids of the
// chunks that failed, and the last error.
func (c *Cache[V]) invalidateRedis(ctx context.Context, ids []int64) (failed []int64, err error) {
	for chunk := range slices.Chunk(ids, invalidateChunk) {
		if cerr := c.invalidateChunk(ctx, chunk); cerr != nil {
			failed, err = append(failed, chunk...), cerr
		}
	}
	return failed, err
}

func (c *Cache[V]) invalidateChunk(ctx context.Context, ids []int64) error {
	ctx, cancel := context.WithTimeout(ctx, c.redisTimeout)
	defer cancel()
	genTTL := c.genTTL.Milliseconds()
	calls := make([]scriptCall, len(ids))
	payload := make([]byte, 0, 12*len(ids))
	for i, id := range ids {
		calls[i] = scriptCall{keys: []string{c.valKey(id), c.genKey(id)}, args: []any{newToken(), genTTL}}
		if i > 0 {
			payload = append(payload, ',')
		}
		payload = strconv.AppendInt(payload, id, 10)
	}
	_, err := runScripts(ctx, c.rdb, invalidateScript, calls, func(p redis.Pipeliner) {
		p.Publish(ctx, c.channel, payload)
	})
	return err
}

// newToken returns a random generation token: random rather than counted, so a token that
// expired and was made again can never equal one a reader saw before.
func newToken() string {
	var b [12]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

type scriptCall struct {
	keys []string
	args []any
}

// runScripts runs s once per call in one pipeline (EVALSHA), followed by whatever extra adds,
// and returns the script results in order. If Redis lost its script cache (a restart or a
// failover), it runs the pipeline again with EVAL.
func runScripts(ctx context.Context, rdb redis.UniversalClient, s *redis.Script, calls []scriptCall, extra func(redis.Pipeliner)) ([]*redis.Cmd, error) {
	run := func(sha bool) ([]*redis.Cmd, error) {
		pipe := rdb.Pipeline()
		cmds := make([]*redis.Cmd, len(calls))
		for i, call := range calls {
			if sha {
				cmds[i] = s.EvalSha(ctx, pipe, call.keys, call.args...)
			} else {
				cmds[i] = s.Eval(ctx, pipe, call.keys, call.args...)
			}
		}
		if extra != nil {
			extra(pipe)
		}
		_, err := pipe.Exec(ctx)
		return cmds, err
	}
	cmds, err := run(true)
	if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
		cmds, err = run(false)
	}
	return cmds, err
}

// addPending queues ids whose invalidation did not reach Redis, for retryLoop.
func (c *Cache[V]) addPending(ids []int64) {
	c.pendingMu.Lock()
	lost := 0
	for _, id := range ids {
		if len(c.pending) >= maxPending {
			lost++
			continue
		}
		c.pending[id] = struct{}{}
	}
	c.pendingMu.Unlock()
	if lost > 0 {
		c.stats.lostInvalidations.Add(uint64(lost))
		c.log.Error("cache: invalidation retry queue full; L2 may serve old rows until their TTL", "lost", lost)
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *Cache[V]) takePending() []int64 {
	c.pendingMu.Lock()
	defer c.pendingMu.Unlock()
	if len(c.pending) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(c.pending))
	for id := range c.pending {
		ids = append(ids, id)
	}
	clear(c.pending)
	return ids
}

// retryLoop applies queued invalidations once Redis answers again.
func (c *Cache[V]) retryLoop(ctx context.Context) {
	backoff := minBackoff
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		}
		for {
			ids := c.takePending()
			if len(ids) == 0 {
				backoff = minBackoff
				break
			}
			failed, err := c.invalidateRedis(ctx, ids)
			if err == nil {
				c.log.Info("cache: queued invalidations applied", "ids", len(ids))
				backoff = minBackoff
				continue
			}
			c.addPendingQuiet(failed)
			if ctx.Err() != nil {
				return
			}
			c.redisError("invalidate retry", err)
			if !sleep(ctx.Done(), jitter(backoff)) {
				return
			}
			backoff = min(2*backoff, maxBackoff)
		}
	}
}

// addPendingQuiet puts back ids a retry could not apply, without waking retryLoop.
func (c *Cache[V]) addPendingQuiet(ids []int64) {
	c.pendingMu.Lock()
	defer c.pendingMu.Unlock()
	for _, id := range ids {
		if len(c.pending) >= maxPending {
			c.stats.lostInvalidations.Add(1)
			continue
		}
		c.pending[id] = struct{}{}
	}
}

// subscribeLoop keeps the invalidation subscription up, resubscribing with backoff. first is
// closed when the first attempt ends, subscribed or not.
func (c *Cache[V]) subscribeLoop(ctx context.Context, first chan<- struct{}) {
	backoff := minBackoff
	firstDone := false
	for {
		wasUp, err := c.subscribeOnce(ctx, func() {
			if !firstDone {
				firstDone = true
				close(first)
			}
		})
		if !firstDone {
			firstDone = true
			close(first)
		}
		if ctx.Err() != nil {
			return
		}
		if wasUp {
			backoff = minBackoff
			c.log.Warn("cache: invalidation subscription lost; L1 purged", "err", err)
		} else {
			c.redisError("subscribe", err)
		}
		if !sleep(ctx.Done(), jitter(backoff)) {
			return
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// subscribeOnce subscribes and applies invalidation messages until the subscription fails or
// ctx is done. Confirming the subscription purges L1 (entries filled while deaf may be stale)
// and restores the full L1TTL; losing it drops L1 to DegradedL1TTL and purges again.
func (c *Cache[V]) subscribeOnce(ctx context.Context, up func()) (wasUp bool, err error) {
	ps := c.rdb.Subscribe(ctx, c.channel)
	defer ps.Close()
	// A cancelled context does not interrupt a blocked read; closing the connection does.
	defer context.AfterFunc(ctx, func() { _ = ps.Close() })()
	defer func() {
		if wasUp {
			c.subscribed.Store(false)
			c.purge()
		}
	}()
	pinged := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, healthInterval)
		if err != nil {
			if ctx.Err() != nil {
				return wasUp, ctx.Err()
			}
			var ne net.Error
			if wasUp && !pinged && errors.As(err, &ne) && ne.Timeout() {
				// Quiet channel: make sure the connection is alive.
				pctx, cancel := context.WithTimeout(ctx, c.redisTimeout)
				err = ps.Ping(pctx)
				cancel()
				if err != nil {
					return wasUp, err
				}
				pinged = true
				continue
			}
			return wasUp, err
		}
		pinged = false
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" && m.Channel == c.channel && !wasUp {
				c.purge()
				c.subscribed.Store(true)
				c.stats.subscriptions.Add(1)
				wasUp = true
				c.log.Info("cache: subscribed to invalidations", "channel", c.channel)
				up()
			}
		case *redis.Message:
			c.apply(m.Payload)
		case *redis.Pong:
		}
	}
}

// apply handles one invalidation message: comma-separated decimal ids. A message it cannot
// read purges L1, since some id in it is now stale.
func (c *Cache[V]) apply(payload string) {
	ids := make([]int64, 0, strings.Count(payload, ",")+1)
	for s := range strings.SplitSeq(payload, ",") {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			c.log.Error("cache: unreadable invalidation message; L1 purged", "payload", payload)
			c.purge()
			return
		}
		ids = append(ids, id)
	}
	c.invalidateLocal(ids)
}
