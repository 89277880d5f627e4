package store

import (
	"context"

	"entgo.io/ent/dialect/sql"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/ent/activity"
	"github.com/looklook/looklook/services/travel/ent/business"
	"github.com/looklook/looklook/services/travel/ent/comment"
	"github.com/looklook/looklook/services/travel/ent/homestay"
	"github.com/looklook/looklook/services/travel/internal/app"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// Homestay implements app.Store.
func (s *Store) Homestay(ctx context.Context, id int64) (*app.Homestay, error) {
	m, err := s.homestays.Get(ctx, id, s.loadHomestay)
	if err != nil {
		if isNotFound(err) {
			return nil, app.ErrHomestayNotFound
		}
		return nil, err
	}
	return wire.AppHomestay(m), nil
}

// Homestays implements app.Store.
func (s *Store) Homestays(ctx context.Context, ids []int64) (map[int64]*app.Homestay, error) {
	ms, err := s.homestays.GetMany(ctx, ids, s.loadHomestays)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*app.Homestay, len(ms))
	for id, m := range ms {
		out[id] = wire.AppHomestay(m)
	}
	return out, nil
}

func (s *Store) loadHomestay(ctx context.Context, id int64) (*travelv1.Homestay, error) {
	h, err := s.client.Homestay.Get(ctx, id)
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, errNotFound
		}
		return nil, err
	}
	return wire.Homestay(homestayFromEnt(h)), nil
}

func (s *Store) loadHomestays(ctx context.Context, ids []int64) (map[int64]*travelv1.Homestay, error) {
	rows, err := s.client.Homestay.Query().Where(homestay.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*travelv1.Homestay, len(rows))
	for _, h := range rows {
		out[h.ID] = wire.Homestay(homestayFromEnt(h))
	}
	return out, nil
}

// Business implements app.Store.
func (s *Store) Business(ctx context.Context, id int64) (*app.Business, error) {
	m, err := s.businesses.Get(ctx, id, s.loadBusiness)
	if err != nil {
		if isNotFound(err) {
			return nil, app.ErrBusinessNotFound
		}
		return nil, err
	}
	return wire.AppBusiness(m), nil
}

// Businesses implements app.Store.
func (s *Store) Businesses(ctx context.Context, ids []int64) (map[int64]*app.Business, error) {
	ms, err := s.businesses.GetMany(ctx, ids, s.loadBusinesses)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*app.Business, len(ms))
	for id, m := range ms {
		out[id] = wire.AppBusiness(m)
	}
	return out, nil
}

func (s *Store) loadBusiness(ctx context.Context, id int64) (*travelv1.Business, error) {
	ms, err := s.loadBusinesses(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	m, ok := ms[id]
	if !ok {
		return nil, errNotFound
	}
	return m, nil
}

// loadBusinesses reads businesses and counts their on-shelf homestays in one grouped query.
// The count is not a column: computing it at load time cannot drift, the (business_id, id)
// index keeps it cheap, and the cache serves it between shelf changes, which invalidate the
// business.
func (s *Store) loadBusinesses(ctx context.Context, ids []int64) (map[int64]*travelv1.Business, error) {
	rows, err := s.client.Business.Query().Where(business.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*travelv1.Business, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	var counts []struct {
		BusinessID int64 `json:"business_id"`
		Count      int64 `json:"count"`
	}
	err = s.client.Homestay.Query().
		Where(homestay.BusinessIDIn(ids...), homestay.OnShelf(true)).
		GroupBy(homestay.FieldBusinessID).
		Aggregate(ent.Count()).
		Scan(ctx, &counts)
	if err != nil {
		return nil, err
	}
	byBusiness := make(map[int64]int64, len(counts))
	for _, c := range counts {
		byBusiness[c.BusinessID] = c.Count
	}
	for _, b := range rows {
		out[b.ID] = wire.Business(businessFromEnt(b, byBusiness[b.ID]))
	}
	return out, nil
}

// BusinessIDByOwner implements app.Store.
func (s *Store) BusinessIDByOwner(ctx context.Context, ownerUserID int64) (int64, error) {
	id, err := s.client.Business.Query().Where(business.OwnerUserID(ownerUserID)).OnlyID(ctx)
	if err != nil {
		if ent.IsNotFound(err) {
			return 0, app.ErrBusinessNotFound
		}
		return 0, err
	}
	return id, nil
}

// BusinessHomestayIDs implements app.Store. It reads the (business_id, id) index.
func (s *Store) BusinessHomestayIDs(ctx context.Context, businessID, beforeID int64, limit int) ([]int64, error) {
	q := s.client.Homestay.Query().Where(homestay.BusinessID(businessID), homestay.OnShelf(true))
	if beforeID > 0 {
		q = q.Where(homestay.IDLT(beforeID))
	}
	return q.Order(ent.Desc(homestay.FieldID)).Limit(limit).IDs(ctx)
}

// LandlordHomestayIDs implements app.Store. It reads the (landlord_user_id, id) index.
func (s *Store) LandlordHomestayIDs(ctx context.Context, landlordUserID, beforeID int64, limit int) ([]int64, error) {
	q := s.client.Homestay.Query().Where(homestay.LandlordUserID(landlordUserID))
	if beforeID > 0 {
		q = q.Where(homestay.IDLT(beforeID))
	}
	return q.Order(ent.Desc(homestay.FieldID)).Limit(limit).IDs(ctx)
}

// OpenBusinessIDs implements app.Store. It reads the (open, id) index.
func (s *Store) OpenBusinessIDs(ctx context.Context, beforeID int64, limit int) ([]int64, error) {
	q := s.client.Business.Query().Where(business.Open(true))
	if beforeID > 0 {
		q = q.Where(business.IDLT(beforeID))
	}
	return q.Order(ent.Desc(business.FieldID)).Limit(limit).IDs(ctx)
}

// queryPreferredEntries reads a page of the preferred list. Entries pointing at a missing or
// off-shelf homestay are filtered in SQL, so pages stay full and the keyset stays on activity
// rows.
func (s *Store) queryPreferredEntries(ctx context.Context, after *app.ActivityKey, limit int) ([]app.Activity, error) {
	q := s.client.Activity.Query().Where(
		activity.KindEQ(activity.KindPreferredHomestay),
		activity.Enabled(true),
		func(sel *sql.Selector) {
			t := sql.Table(homestay.Table)
			sel.Where(sql.In(sel.C(activity.FieldDataID),
				sql.Select(t.C(homestay.FieldID)).From(t).Where(sql.EQ(t.C(homestay.FieldOnShelf), true))))
		},
	)
	if after != nil {
		q = q.Where(activity.Or(
			activity.SortOrderLT(after.SortOrder),
			activity.And(activity.SortOrderEQ(after.SortOrder), activity.IDLT(after.ID)),
		))
	}
	rows, err := q.Order(ent.Desc(activity.FieldSortOrder), ent.Desc(activity.FieldID)).Limit(limit).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]app.Activity, len(rows))
	for i, a := range rows {
		out[i] = *activityFromEnt(a)
	}
	return out, nil
}

// GoodBossIDs implements app.Store. The curated list is short; the score index orders it.
func (s *Store) GoodBossIDs(ctx context.Context, limit int) ([]int64, error) {
	return s.client.Business.Query().
		Where(
			business.Open(true),
			func(sel *sql.Selector) {
				t := sql.Table(activity.Table)
				sel.Where(sql.In(sel.C(business.FieldID),
					sql.Select(t.C(activity.FieldDataID)).From(t).Where(sql.And(
						sql.EQ(t.C(activity.FieldKind), string(activity.KindGoodBoss)),
						sql.EQ(t.C(activity.FieldEnabled), true),
					))))
			},
		).
		Order(ent.Desc(business.FieldScore), ent.Desc(business.FieldCommentCount), ent.Desc(business.FieldID)).
		Limit(limit).
		IDs(ctx)
}

// RankedHomestays implements app.Store. It reads the (on_shelf, score, comment_count, id)
// index.
func (s *Store) RankedHomestays(ctx context.Context, after *app.RankKey, limit int) ([]app.RankKey, error) {
	q := s.client.Homestay.Query().Where(homestay.OnShelf(true))
	if after != nil {
		q = q.Where(homestay.Or(
			homestay.ScoreLT(after.Score),
			homestay.And(homestay.ScoreEQ(after.Score), homestay.CommentCountLT(after.CommentCount)),
			homestay.And(homestay.ScoreEQ(after.Score), homestay.CommentCountEQ(after.CommentCount), homestay.IDLT(after.ID)),
		))
	}
	rows, err := q.
		Order(ent.Desc(homestay.FieldScore), ent.Desc(homestay.FieldCommentCount), ent.Desc(homestay.FieldID)).
		Limit(limit).
		Select(homestay.FieldID, homestay.FieldScore, homestay.FieldCommentCount).
		All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]app.RankKey, len(rows))
	for i, h := range rows {
		out[i] = app.RankKey{Score: h.Score, CommentCount: h.CommentCount, ID: h.ID}
	}
	return out, nil
}

// CommentedAmong implements app.Store. It probes the unique (homestay_id, user_id) index.
func (s *Store) CommentedAmong(ctx context.Context, userID int64, homestayIDs []int64) (map[int64]bool, error) {
	out := make(map[int64]bool)
	if len(homestayIDs) == 0 {
		return out, nil
	}
	rows, err := s.client.Comment.Query().
		Where(comment.UserID(userID), comment.HomestayIDIn(homestayIDs...)).
		Select(comment.FieldHomestayID).
		All(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range rows {
		out[c.HomestayID] = true
	}
	return out, nil
}

// queryComments reads a page of a homestay's comments from the (homestay_id, id) index.
func (s *Store) queryComments(ctx context.Context, homestayID, beforeID int64, limit int) ([]app.Comment, error) {
	q := s.client.Comment.Query().Where(comment.HomestayID(homestayID))
	if beforeID > 0 {
		q = q.Where(comment.IDLT(beforeID))
	}
	rows, err := q.Order(ent.Desc(comment.FieldID)).Limit(limit).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]app.Comment, len(rows))
	for i, c := range rows {
		out[i] = commentFromEnt(c)
	}
	return out, nil
}
