package store

import (
	"slices"

	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/ent/activity"
	"github.com/looklook/looklook/services/travel/ent/homestay"
	"github.com/looklook/looklook/services/travel/internal/app"
)

func rating(starSum, count int64) app.Rating {
	if count == 0 {
		return app.Rating{}
	}
	return app.Rating{Average: float64(starSum) / float64(count), Count: count}
}

func homestayFromEnt(h *ent.Homestay) *app.Homestay {
	return &app.Homestay{
		ID:             h.ID,
		BusinessID:     h.BusinessID,
		LandlordUserID: h.LandlordUserID,
		Fields: app.HomestayFields{
			Title:            h.Title,
			Subtitle:         h.Subtitle,
			BannerURLs:       nonNil(h.BannerUrls),
			Info:             h.Info,
			PeopleCount:      h.PeopleCount,
			SaleType:         saleTypeFromEnt(h.SaleType),
			FoodInfo:         h.FoodInfo,
			FoodPriceCents:   h.FoodPriceCents,
			PriceCents:       h.PriceCents,
			MarketPriceCents: h.MarketPriceCents,
		},
		OnShelf:    h.OnShelf,
		Rating:     rating(h.StarSum, h.CommentCount),
		Version:    h.Version,
		CreateTime: h.CreateTime.UTC(),
		UpdateTime: h.UpdateTime.UTC(),
	}
}

func businessFromEnt(b *ent.Business, homestayCount int64) *app.Business {
	return &app.Business{
		ID:          b.ID,
		OwnerUserID: b.OwnerUserID,
		Fields: app.BusinessFields{
			Title:          b.Title,
			Info:           b.Info,
			BossInfo:       b.BossInfo,
			Tags:           nonNil(b.Tags),
			CoverURL:       b.CoverURL,
			HeaderImageURL: b.HeaderImageURL,
			Open:           b.Open,
		},
		Rating:        rating(b.StarSum, b.CommentCount),
		HomestayCount: homestayCount,
		Version:       b.Version,
		CreateTime:    b.CreateTime.UTC(),
		UpdateTime:    b.UpdateTime.UTC(),
	}
}

func commentFromEnt(c *ent.Comment) app.Comment {
	return app.Comment{
		ID:         c.ID,
		HomestayID: c.HomestayID,
		UserID:     c.UserID,
		Content:    c.Content,
		Star:       c.Star,
		CreateTime: c.CreateTime.UTC(),
	}
}

func activityFromEnt(a *ent.Activity) *app.Activity {
	kind := app.ActivityPreferredHomestay
	if a.Kind == activity.KindGoodBoss {
		kind = app.ActivityGoodBoss
	}
	return &app.Activity{ID: a.ID, Kind: kind, DataID: a.DataID, Enabled: a.Enabled, SortOrder: a.SortOrder}
}

func activityKind(k app.ActivityKind) activity.Kind {
	if k == app.ActivityGoodBoss {
		return activity.KindGoodBoss
	}
	return activity.KindPreferredHomestay
}

func saleTypeFromEnt(t homestay.SaleType) app.SaleType {
	if t == homestay.SaleTypePerPerson {
		return app.SaleTypePerPerson
	}
	return app.SaleTypePerRoom
}

// SaleType returns the column value for a sale type; unknown values are per room, the
// reference system's default.
func SaleType(t app.SaleType) homestay.SaleType {
	if t == app.SaleTypePerPerson {
		return homestay.SaleTypePerPerson
	}
	return homestay.SaleTypePerRoom
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
