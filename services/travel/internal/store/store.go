// Package store keeps travel's data in PostgreSQL or SQLite through Ent. It is the only package
// on the request path that imports the Ent client (besides Run, which opens it; the data tools
// demo and cmd/travel-gen write tables too): it maps Ent's errors to app's sentinels, owns the
// transactions, and puts the read-through cache in front of by-id reads.
//
// Homestays and businesses are cached by id as their protobuf messages. Lists run a keyset
// query for ids and then read the rows by id through the cache, so a list page costs one
// indexed query plus cache hits; the two lists on every page view (a homestay's newest comments,
// the preferred list) also cache their first entries (heads.go), so their first pages cost no
// query at all. Every write commits first and then invalidates
// the rows it changed; the cache itself makes sure a reader that raced the write cannot put the
// old row back.
package store

import (
	"context"
	"log/slog"

	"google.golang.org/protobuf/proto"

	cachev1 "github.com/looklook/looklook/gen/looklook/travel/cache/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/cache"
	"github.com/looklook/looklook/platform/database"
	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/internal/app"
)

// Store implements app.Store.
type Store struct {
	client     *ent.Client
	logger     *slog.Logger
	homestays  *cache.Cache[*travelv1.Homestay]
	businesses *cache.Cache[*travelv1.Business]
	// commentHeads holds each homestay's newest comments by homestay id; preferredHeads holds
	// the head of the preferred list under preferredKey.
	commentHeads   *cache.Cache[*cachev1.RecentComments]
	preferredHeads *cache.Cache[*cachev1.PreferredEntries]
	// closers close the caches above, in the order New opened them.
	closers []func() error
}

var _ app.Store = (*Store)(nil)

// Close stops the caches' background work. It does not close the Ent client, which the caller
// owns.
func (s *Store) Close() {
	for _, c := range s.closers {
		_ = c()
	}
}

// withTx runs fn in a transaction, committing if it returns nil and rolling back if it returns an
// error or panics. fn must use only tx: on SQLite the pool has a single connection, so a query
// through the plain client inside fn would wait for itself.
func (s *Store) withTx(ctx context.Context, fn func(tx *ent.Tx) error) error {
	return database.WithTx(ctx, s.client.Tx, fn)
}

// invalidate drops ids from c after a committed write. It runs on a context detached from the
// request's cancellation: the write is done, and a client that hung up must not leave the old
// value cached. The cache retries Redis failures itself; an error here only means the detached
// context ended, and is logged.
func invalidate[V proto.Message](ctx context.Context, logger *slog.Logger, c *cache.Cache[V], what string, ids ...int64) {
	if err := c.Invalidate(context.WithoutCancel(ctx), ids...); err != nil {
		logger.ErrorContext(ctx, "invalidate cache", "cache", what, "ids", ids, "error", err)
	}
}

// invalidateHomestays drops homestays from the cache after a committed write.
func (s *Store) invalidateHomestays(ctx context.Context, ids ...int64) {
	invalidate(ctx, s.logger, s.homestays, homestayCacheName, ids...)
}

// invalidateBusinesses drops businesses from the cache after a committed write.
func (s *Store) invalidateBusinesses(ctx context.Context, ids ...int64) {
	invalidate(ctx, s.logger, s.businesses, businessCacheName, ids...)
}

// Invalidate drops homestays (with their comment heads), businesses and the preferred list's
// head from the cache. Writes through the store do this themselves; tools that write around it
// (the demo seeder) call it afterwards.
func (s *Store) Invalidate(ctx context.Context, homestayIDs, businessIDs []int64) {
	if len(homestayIDs) > 0 {
		s.invalidateHomestays(ctx, homestayIDs...)
		s.invalidateCommentHeads(ctx, homestayIDs...)
	}
	s.invalidatePreferredHead(ctx)
	if len(businessIDs) > 0 {
		s.invalidateBusinesses(ctx, businessIDs...)
	}
}
