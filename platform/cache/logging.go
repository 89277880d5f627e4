package cache

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// limiter lets one log line through per second and counts the ones it held back, so an
// outage that fails every request logs a line a second instead of a line a request.
type limiter struct {
	last       atomic.Int64
	suppressed atomic.Uint64
}

// allow reports whether a line may be logged now and, if so, how many were held back since
// the last one.
func (l *limiter) allow() (bool, uint64) {
	now := time.Now().UnixNano()
	last := l.last.Load()
	if now-last < int64(time.Second) || !l.last.CompareAndSwap(last, now) {
		l.suppressed.Add(1)
		return false, 0
	}
	return true, l.suppressed.Swap(0)
}

// RedisLogger puts go-redis's own log lines (a failed dial, a dropped pub/sub connection) into
// a slog.Logger, at most one a second: go-redis logs every failed dial, which while Redis is
// down means every request. go-redis's logger is process-wide, so main installs it once:
//
//	redis.SetLogger(cache.NewRedisLogger(logger))
type RedisLogger struct {
	log   *slog.Logger
	limit limiter
}

// NewRedisLogger returns a RedisLogger writing warnings to log.
func NewRedisLogger(log *slog.Logger) *RedisLogger {
	return &RedisLogger{log: log}
}

// Printf implements go-redis's logging interface.
func (r *RedisLogger) Printf(ctx context.Context, format string, v ...any) {
	ok, suppressed := r.limit.allow()
	if !ok {
		return
	}
	r.log.WarnContext(ctx, "redis client", "msg", fmt.Sprintf(format, v...), "suppressed", suppressed)
}
