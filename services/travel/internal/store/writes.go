package store

import (
	"context"
	"slices"

	"entgo.io/ent/dialect/sql"

	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/ent/activity"
	"github.com/looklook/looklook/services/travel/ent/business"
	"github.com/looklook/looklook/services/travel/ent/homestay"
	"github.com/looklook/looklook/services/travel/internal/app"
)

// CreateComment implements app.Store. The comment and both rating updates commit together.
// The ratings are incremented in SQL (x = x + star), never read-modify-written, so concurrent
// comments on one homestay serialise on its row lock and none is lost. The homestay row is
// locked before the business row in every transaction, so concurrent comments cannot deadlock.
func (s *Store) CreateComment(ctx context.Context, c app.Comment, check func(*app.Homestay) error) (*app.Comment, error) {
	var created app.Comment
	var businessID int64
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		h, err := tx.Homestay.Get(ctx, c.HomestayID)
		if err != nil {
			if ent.IsNotFound(err) {
				return app.ErrHomestayNotFound
			}
			return err
		}
		if err := check(homestayFromEnt(h)); err != nil {
			return err
		}
		businessID = h.BusinessID
		row, err := tx.Comment.Create().
			SetHomestayID(c.HomestayID).
			SetUserID(c.UserID).
			SetContent(c.Content).
			SetStar(c.Star).
			Save(ctx)
		if err != nil {
			if ent.IsConstraintError(err) {
				return app.ErrCommentExists
			}
			return err
		}
		created = commentFromEnt(row)
		err = tx.Homestay.UpdateOneID(h.ID).
			AddStarSum(int64(c.Star)).
			AddCommentCount(1).
			AddVersion(1).
			Modify(func(u *sql.UpdateBuilder) {
				u.Set(homestay.FieldScore, scoreAfterComment(homestay.FieldStarSum, homestay.FieldCommentCount, c.Star))
			}).
			Exec(ctx)
		if err != nil {
			return err
		}
		return tx.Business.UpdateOneID(h.BusinessID).
			AddStarSum(int64(c.Star)).
			AddCommentCount(1).
			AddVersion(1).
			Modify(func(u *sql.UpdateBuilder) {
				u.Set(business.FieldScore, scoreAfterComment(business.FieldStarSum, business.FieldCommentCount, c.Star))
			}).
			Exec(ctx)
	})
	if err != nil {
		return nil, err
	}
	s.invalidateHomestays(ctx, c.HomestayID)
	s.invalidateCommentHeads(ctx, c.HomestayID)
	s.invalidateBusinesses(ctx, businessID)
	return &created, nil
}

// CreateBusiness implements app.Store. The unique owner_user_id index decides a race between
// two creations.
func (s *Store) CreateBusiness(ctx context.Context, ownerUserID int64, f app.BusinessFields) (*app.Business, error) {
	row, err := s.client.Business.Create().
		SetOwnerUserID(ownerUserID).
		SetTitle(f.Title).
		SetInfo(f.Info).
		SetBossInfo(f.BossInfo).
		SetTags(nonNil(f.Tags)).
		SetCoverURL(f.CoverURL).
		SetHeaderImageURL(f.HeaderImageURL).
		SetOpen(f.Open).
		Save(ctx)
	if err != nil {
		if ent.IsConstraintError(err) {
			return nil, app.ErrBusinessExists
		}
		return nil, err
	}
	// A read of this id before it existed may have cached "not found".
	s.invalidateBusinesses(ctx, row.ID)
	return businessFromEnt(row, 0), nil
}

// UpdateBusiness implements app.Store with optimistic locking: the row is written only while
// its version is the one change saw.
func (s *Store) UpdateBusiness(ctx context.Context, id int64, change func(*app.Business) error) (*app.Business, error) {
	var out *app.Business
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		row, err := tx.Business.Get(ctx, id)
		if err != nil {
			if ent.IsNotFound(err) {
				return app.ErrBusinessNotFound
			}
			return err
		}
		count, err := tx.Homestay.Query().Where(homestay.BusinessID(id), homestay.OnShelf(true)).Count(ctx)
		if err != nil {
			return err
		}
		before := businessFromEnt(row, int64(count))
		b := businessFromEnt(row, int64(count))
		if err := change(b); err != nil {
			return err
		}
		if businessFieldsEqual(before.Fields, b.Fields) {
			out = before
			return nil
		}
		f := b.Fields
		n, err := tx.Business.Update().
			Where(business.ID(id), business.Version(row.Version)).
			SetTitle(f.Title).
			SetInfo(f.Info).
			SetBossInfo(f.BossInfo).
			SetTags(nonNil(f.Tags)).
			SetCoverURL(f.CoverURL).
			SetHeaderImageURL(f.HeaderImageURL).
			SetOpen(f.Open).
			AddVersion(1).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return app.ErrStaleBusiness
		}
		row, err = tx.Business.Get(ctx, id)
		if err != nil {
			return err
		}
		out = businessFromEnt(row, int64(count))
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.invalidateBusinesses(ctx, id)
	return out, nil
}

// CreateHomestay implements app.Store. New homestays start off shelf.
func (s *Store) CreateHomestay(ctx context.Context, businessID, landlordUserID int64, f app.HomestayFields) (*app.Homestay, error) {
	row, err := s.client.Homestay.Create().
		SetBusinessID(businessID).
		SetLandlordUserID(landlordUserID).
		SetTitle(f.Title).
		SetSubtitle(f.Subtitle).
		SetBannerUrls(nonNil(f.BannerURLs)).
		SetInfo(f.Info).
		SetPeopleCount(f.PeopleCount).
		SetSaleType(SaleType(f.SaleType)).
		SetFoodInfo(f.FoodInfo).
		SetFoodPriceCents(f.FoodPriceCents).
		SetPriceCents(f.PriceCents).
		SetMarketPriceCents(f.MarketPriceCents).
		SetOnShelf(false).
		Save(ctx)
	if err != nil {
		if ent.IsConstraintError(err) {
			// The only constraint is the business foreign key.
			return nil, app.ErrNoBusiness
		}
		return nil, err
	}
	// A read of this id before it existed may have cached "not found".
	s.invalidateHomestays(ctx, row.ID)
	return homestayFromEnt(row), nil
}

// UpdateHomestay implements app.Store with optimistic locking: the row is written only while
// its version is the one change saw. A change of shelf state also invalidates the business,
// whose homestay count it changes.
func (s *Store) UpdateHomestay(ctx context.Context, id int64, change func(*app.Homestay) error) (*app.Homestay, error) {
	var before, out *app.Homestay
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		row, err := tx.Homestay.Get(ctx, id)
		if err != nil {
			if ent.IsNotFound(err) {
				return app.ErrHomestayNotFound
			}
			return err
		}
		before = homestayFromEnt(row)
		h := homestayFromEnt(row)
		if err := change(h); err != nil {
			return err
		}
		if homestayFieldsEqual(before.Fields, h.Fields) && before.OnShelf == h.OnShelf {
			out = before
			return nil
		}
		f := h.Fields
		n, err := tx.Homestay.Update().
			Where(homestay.ID(id), homestay.Version(row.Version)).
			SetTitle(f.Title).
			SetSubtitle(f.Subtitle).
			SetBannerUrls(nonNil(f.BannerURLs)).
			SetInfo(f.Info).
			SetPeopleCount(f.PeopleCount).
			SetSaleType(SaleType(f.SaleType)).
			SetFoodInfo(f.FoodInfo).
			SetFoodPriceCents(f.FoodPriceCents).
			SetPriceCents(f.PriceCents).
			SetMarketPriceCents(f.MarketPriceCents).
			SetOnShelf(h.OnShelf).
			AddVersion(1).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return app.ErrStaleHomestay
		}
		row, err = tx.Homestay.Get(ctx, id)
		if err != nil {
			return err
		}
		out = homestayFromEnt(row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.Version != before.Version {
		s.invalidateHomestays(ctx, id)
		if out.OnShelf != before.OnShelf {
			s.invalidateBusinesses(ctx, out.BusinessID)
			s.invalidatePreferredHead(ctx)
		}
	}
	return out, nil
}

// SetActivity implements app.Store as an upsert on the unique (kind, data_id) index, so
// concurrent calls for the same entry cannot create two.
func (s *Store) SetActivity(ctx context.Context, a app.Activity) (*app.Activity, error) {
	var out *app.Activity
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		err := tx.Activity.Create().
			SetKind(activityKind(a.Kind)).
			SetDataID(a.DataID).
			SetEnabled(a.Enabled).
			SetSortOrder(a.SortOrder).
			OnConflictColumns(activity.FieldKind, activity.FieldDataID).
			Update(func(u *ent.ActivityUpsert) {
				u.UpdateEnabled()
				u.UpdateSortOrder()
				u.UpdateUpdateTime()
			}).
			Exec(ctx)
		if err != nil {
			return err
		}
		row, err := tx.Activity.Query().
			Where(activity.KindEQ(activityKind(a.Kind)), activity.DataID(a.DataID)).
			Only(ctx)
		if err != nil {
			return err
		}
		out = activityFromEnt(row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.Kind == app.ActivityPreferredHomestay {
		s.invalidatePreferredHead(ctx)
	}
	return out, nil
}

func homestayFieldsEqual(a, b app.HomestayFields) bool {
	return a.Title == b.Title && a.Subtitle == b.Subtitle && slices.Equal(a.BannerURLs, b.BannerURLs) &&
		a.Info == b.Info && a.PeopleCount == b.PeopleCount && a.SaleType == b.SaleType &&
		a.FoodInfo == b.FoodInfo && a.FoodPriceCents == b.FoodPriceCents && a.PriceCents == b.PriceCents &&
		a.MarketPriceCents == b.MarketPriceCents
}

func businessFieldsEqual(a, b app.BusinessFields) bool {
	return a.Title == b.Title && a.Info == b.Info && a.BossInfo == b.BossInfo && slices.Equal(a.Tags, b.Tags) &&
		a.CoverURL == b.CoverURL && a.HeaderImageURL == b.HeaderImageURL && a.Open == b.Open
}
