package store

import (
	"context"

	cachev1 "github.com/looklook/looklook/gen/looklook/travel/cache/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/app"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// List heads: the two lists read on every page view of the product — the comments under a
// homestay's detail page and the curated "preferred" list of the home page — are cached by
// their first entries. Every other list page (a later page, a bigger page, the landlord's lists)
// runs its keyset query. The heads use the same two-tier cache as the rows, so they
// share its guarantees: one load per instance under a stampede, and a write that commits and
// then invalidates can never be undone by a reader that raced it.
const (
	// commentHead is how many comments a homestay's cached head holds: the default page of 20
	// plus the one row that tells whether a next page exists. The BFF's detail page asks for 10.
	commentHead = 21
	// commentHeadL1Items is how many comment heads L1 expects to hold, and commentHeadL1Bytes
	// what bounds it: a head is up to 21 comments of up to 1,000 characters each, so a count
	// alone would bound nothing useful (10,000 heads of long comments would be 600 MB).
	commentHeadL1Items = 10_000
	commentHeadL1Bytes = 32 << 20
	// preferredHead is how many entries the cached head of the preferred list holds: the
	// largest page (100) plus one, so every first page is served from it. An entry is a few
	// integers.
	preferredHead = 101
	// preferredHeadL1Items is the in-process capacity of the preferred list's cache, which
	// holds one entry.
	preferredHeadL1Items = 1
	// preferredKey is the preferred list's id in its cache, which is keyed by id and holds this
	// one entry.
	preferredKey = 1
)

// Cache names of the list heads; see homestayCacheName.
const (
	commentHeadCacheName   = "travel:comment-head"
	preferredHeadCacheName = "travel:preferred-head"
)

// Comments implements app.Store. The first page of up to commentHead comments comes from the
// homestay's cached head; later and bigger pages read the (homestay_id, id) index.
func (s *Store) Comments(ctx context.Context, homestayID, beforeID int64, limit int) ([]app.Comment, error) {
	if beforeID != 0 || limit > commentHead {
		return s.queryComments(ctx, homestayID, beforeID, limit)
	}
	head, err := s.commentHeads.Get(ctx, homestayID, s.loadCommentHead)
	if err != nil {
		return nil, err
	}
	cs := head.GetComments()
	out := make([]app.Comment, min(limit, len(cs)))
	for i := range out {
		out[i] = wire.AppComment(cs[i])
	}
	return out, nil
}

// loadCommentHead reads a homestay's newest comments. A homestay without comments (or an id
// without a homestay) has an empty head, cached like any other.
func (s *Store) loadCommentHead(ctx context.Context, homestayID int64) (*cachev1.RecentComments, error) {
	cs, err := s.queryComments(ctx, homestayID, 0, commentHead)
	if err != nil {
		return nil, err
	}
	return &cachev1.RecentComments{Comments: wire.Comments(cs)}, nil
}

// PreferredEntries implements app.Store. The first page of up to preferredHead entries comes
// from the list's cached head; later pages run the keyset query.
func (s *Store) PreferredEntries(ctx context.Context, after *app.ActivityKey, limit int) ([]app.Activity, error) {
	if after != nil || limit > preferredHead {
		return s.queryPreferredEntries(ctx, after, limit)
	}
	head, err := s.preferredHeads.Get(ctx, preferredKey, s.loadPreferredHead)
	if err != nil {
		return nil, err
	}
	es := head.GetEntries()
	out := make([]app.Activity, min(limit, len(es)))
	for i := range out {
		out[i] = wire.AppActivity(es[i])
	}
	return out, nil
}

func (s *Store) loadPreferredHead(ctx context.Context, _ int64) (*cachev1.PreferredEntries, error) {
	as, err := s.queryPreferredEntries(ctx, nil, preferredHead)
	if err != nil {
		return nil, err
	}
	entries := make([]*travelv1.Activity, len(as))
	for i := range as {
		entries[i] = wire.Activity(&as[i])
	}
	return &cachev1.PreferredEntries{Entries: entries}, nil
}

// invalidateCommentHeads drops the comment heads of homestays after a committed write.
func (s *Store) invalidateCommentHeads(ctx context.Context, homestayIDs ...int64) {
	invalidate(ctx, s.logger, s.commentHeads, commentHeadCacheName, homestayIDs...)
}

// invalidatePreferredHead drops the head of the preferred list after a committed write that
// can change it: an entry set, or a homestay going on or off shelf (the list shows on-shelf
// homestays only). Shelf changes are rare, so every one invalidates rather than only those of
// listed homestays.
func (s *Store) invalidatePreferredHead(ctx context.Context) {
	invalidate(ctx, s.logger, s.preferredHeads, preferredHeadCacheName, preferredKey)
}
