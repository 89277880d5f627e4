package cache

import (
	"context"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// benchValue is a row-sized message: a homestay row is a few hundred bytes.
var benchValue = wrapperspb.String(string(make([]byte, 300)))

func fixedLoad(context.Context, int64) (msg, error) { return benchValue, nil }

func fixedLoadMany(_ context.Context, ids []int64) (map[int64]msg, error) {
	out := make(map[int64]msg, len(ids))
	for _, id := range ids {
		out[id] = benchValue
	}
	return out, nil
}

func BenchmarkL1Hit(b *testing.B) {
	c := newCache(b, Options[msg]{})
	ctx := context.Background()
	if _, err := c.Get(ctx, 1, fixedLoad); err != nil {
		b.Fatal(err)
	}
	settle(c)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get(ctx, 1, fixedLoad); err != nil {
			b.Fatal(err)
		}
	}
	if s := c.Stats(); s.Loads != 1 {
		b.Fatalf("loads = %d; the benchmark did not measure L1 hits", s.Loads)
	}
}

func BenchmarkL1HitParallel(b *testing.B) {
	c := newCache(b, Options[msg]{})
	ctx := context.Background()
	for id := range int64(1024) {
		if _, err := c.Get(ctx, id, fixedLoad); err != nil {
			b.Fatal(err)
		}
	}
	settle(c)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var id int64
		for pb.Next() {
			id = (id + 1) & 1023
			if _, err := c.Get(ctx, id, fixedLoad); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkL2Hit(b *testing.B) {
	rdb, prefix := sharedRedis(b, "")
	c := newCache(b, Options[msg]{Redis: rdb, KeyPrefix: prefix, L1MaxItems: -1})
	ctx := context.Background()
	if _, err := c.Get(ctx, 1, fixedLoad); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get(ctx, 1, fixedLoad); err != nil {
			b.Fatal(err)
		}
	}
	if s := c.Stats(); s.Loads != 1 || s.RedisErrors != 0 {
		b.Fatalf("stats = %+v; the benchmark did not measure L2 hits", s)
	}
}

// BenchmarkRedisGETBaseline is one plain GET of the same value, for comparing with L2Hit on
// the same machine in the same run.
func BenchmarkRedisGETBaseline(b *testing.B) {
	rdb, prefix := sharedRedis(b, "")
	ctx := context.Background()
	raw, _ := proto.Marshal(benchValue)
	if err := rdb.Set(ctx, prefix+"baseline", raw, time.Minute).Err(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := rdb.Get(ctx, prefix+"baseline").Err(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMiss(b *testing.B) {
	rdb, prefix := sharedRedis(b, "")
	c := newCache(b, Options[msg]{Redis: rdb, KeyPrefix: prefix, TTL: time.Minute})
	ctx := context.Background()
	var id int64
	b.ReportAllocs()
	for b.Loop() {
		id++
		if _, err := c.Get(ctx, id, fixedLoad); err != nil {
			b.Fatal(err)
		}
	}
	if s := c.Stats(); s.Loads != uint64(id) || s.RedisErrors != 0 {
		b.Fatalf("stats = %+v after %d fresh ids", s, id)
	}
}

// BenchmarkGetMany20Mixed asks for 20 ids: 7 in L1, 7 only in Redis, 6 nowhere.
func BenchmarkGetMany20Mixed(b *testing.B) {
	rdb, prefix := sharedRedis(b, "")
	c := newCache(b, Options[msg]{Redis: rdb, KeyPrefix: prefix, TTL: time.Minute})
	ctx := context.Background()
	hot := []int64{-1, -2, -3, -4, -5, -6, -7}
	if _, err := c.GetMany(ctx, hot, fixedLoadMany); err != nil {
		b.Fatal(err)
	}
	settle(c)
	raw, _ := proto.Marshal(benchValue)
	next := int64(1)
	var inRedis []int64
	// fill writes the next ids straight into Redis, as another instance would have.
	fill := func(n int) {
		pipe := rdb.Pipeline()
		for range n {
			pipe.Set(ctx, c.valKey(next), raw, time.Minute)
			inRedis = append(inRedis, next)
			next++
		}
		if _, err := pipe.Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	ids := make([]int64, 0, 20)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(inRedis) < 7 {
			b.StopTimer()
			fill(7 * 512)
			b.StartTimer()
		}
		ids = append(ids[:0], hot...)
		ids = append(ids, inRedis[:7]...)
		inRedis = inRedis[7:]
		for range 6 {
			ids = append(ids, next)
			next++
		}
		got, err := c.GetMany(ctx, ids, fixedLoadMany)
		if err != nil || len(got) != 20 {
			b.Fatalf("GetMany = %d values, %v", len(got), err)
		}
	}
	b.StopTimer()
	s := c.Stats()
	if s.Loads != uint64(b.N)+1 || s.RedisErrors != 0 {
		b.Fatalf("stats = %+v after %d iterations", s, b.N)
	}
}
