package cache

import (
	"sync"
	"sync/atomic"
	"time"
)

// numShards is the number of local invalidation shards; a power of two.
const numShards = 256

// shard serialises L1 fills against invalidations for the ids that map to it. gen is read
// without the lock when a flight starts and changed only under it.
type shard struct {
	mu  sync.Mutex
	gen atomic.Uint64
	_   [48]byte // keeps shards on separate cache lines
}

func (c *Cache[V]) shardOf(id int64) *shard {
	// The splitmix64 finaliser spreads sequential ids over the shards.
	x := uint64(id)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return &c.shards[x&(numShards-1)]
}

// l1Get returns id's entry if L1 holds one from the current epoch.
func (c *Cache[V]) l1Get(id int64) (*entry[V], bool) {
	e, ok := c.rc.Get(id)
	if !ok || e.epoch != c.epoch.Load() {
		return nil, false
	}
	return e, true
}

// l1Fill stores e unless id's shard generation moved since gen was read (an invalidation
// raced the load), the epoch moved since e was made (L1 was purged), or the cache is closed.
// ristretto may still drop the Set; that only costs a later miss.
//
// inL2 tells whether e came from Redis or was stored there. A value Redis did not take (a
// failed read or fill: Redis down, or a pooled connection that died with a restarted server)
// lives only DegradedL1TTL, as while unsubscribed, so the next read soon tries Redis again and
// fills it; at the full L1TTL a hot row would stay out of Redis for a minute after it returned.
func (c *Cache[V]) l1Fill(id int64, e *entry[V], gen uint64, inL2 bool) {
	if c.rc == nil {
		return
	}
	ttl := c.l1TTL
	if !c.subscribed.Load() || (c.rdb != nil && !inL2) {
		if c.degradedTTL < 0 {
			return
		}
		ttl = min(ttl, c.degradedTTL)
	}
	if !e.found {
		ttl = min(ttl, c.negTTL)
	}
	c.life.RLock()
	defer c.life.RUnlock()
	if c.closed {
		return
	}
	cost := int64(1)
	if c.costOf != nil {
		cost = c.costOf(e)
	}
	s := c.shardOf(id)
	s.mu.Lock()
	accepted := false
	if s.gen.Load() == gen && c.epoch.Load() == e.epoch {
		accepted = c.rc.SetWithTTL(id, e, cost, ttl)
		if !accepted {
			c.stats.l1Dropped.Add(1)
		}
	} else {
		c.stats.staleSkipped.Add(1)
	}
	s.mu.Unlock()
	if accepted {
		// ristretto applies Sets asynchronously. Fills run inside the key's flight, so waiting
		// here makes the entry visible before the flight ends; otherwise readers arriving just
		// after it would miss L1 and start a second load (seen as 18 loads for 1,000
		// concurrent cold reads without Redis). Only misses pay for the wait.
		c.rc.Wait()
	}
}

// invalidateLocal makes this instance forget ids: a fill that read a shard generation before
// this call cannot store afterwards, a Get after it starts a new flight, and ristretto's set
// buffer is drained so a fill accepted before the delete cannot land after it.
func (c *Cache[V]) invalidateLocal(ids []int64) {
	c.life.RLock()
	defer c.life.RUnlock()
	for _, id := range ids {
		s := c.shardOf(id)
		s.mu.Lock()
		s.gen.Add(1)
		if c.rc != nil && !c.closed {
			c.rc.Del(id)
		}
		s.mu.Unlock()
		c.flights.Forget(flightKey(id))
	}
	if c.rc != nil && !c.closed {
		c.rc.Wait()
	}
}

// purge empties L1: bumping the epoch makes every entry, including ones whose Set is still in
// ristretto's buffer, unservable at once; Clear frees the memory.
func (c *Cache[V]) purge() {
	c.epoch.Add(1)
	c.stats.purges.Add(1)
	c.life.RLock()
	defer c.life.RUnlock()
	if c.rc != nil && !c.closed {
		c.rc.Clear()
	}
}

// sleep waits d or until done is closed, and tells whether the wait ran out.
func sleep(done <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}
