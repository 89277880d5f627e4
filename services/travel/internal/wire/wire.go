// Package wire converts between travel's domain types (internal/app) and its protobuf messages
// (looklook.travel.v1). The handlers use it for requests and responses, and the store for the
// cache, which holds protobuf messages.
//
// Every conversion copies slices, so a caller changing its result never changes a value another
// request (or the cache) shares.
package wire

import (
	"slices"

	"google.golang.org/protobuf/types/known/timestamppb"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/app"
)

// Homestay converts a homestay to its message.
func Homestay(h *app.Homestay) *travelv1.Homestay {
	return &travelv1.Homestay{
		Id:             h.ID,
		BusinessId:     h.BusinessID,
		LandlordUserId: h.LandlordUserID,
		Fields:         HomestayFields(h.Fields),
		OnShelf:        h.OnShelf,
		Rating:         rating(h.Rating),
		Version:        h.Version,
		CreateTime:     timestamppb.New(h.CreateTime),
		UpdateTime:     timestamppb.New(h.UpdateTime),
	}
}

// Homestays converts homestays to messages.
func Homestays(hs []*app.Homestay) []*travelv1.Homestay {
	out := make([]*travelv1.Homestay, len(hs))
	for i, h := range hs {
		out[i] = Homestay(h)
	}
	return out
}

// AppHomestay converts a homestay message to the domain type.
func AppHomestay(m *travelv1.Homestay) *app.Homestay {
	return &app.Homestay{
		ID:             m.GetId(),
		BusinessID:     m.GetBusinessId(),
		LandlordUserID: m.GetLandlordUserId(),
		Fields:         AppHomestayFields(m.GetFields()),
		OnShelf:        m.GetOnShelf(),
		Rating:         appRating(m.GetRating()),
		Version:        m.GetVersion(),
		CreateTime:     m.GetCreateTime().AsTime(),
		UpdateTime:     m.GetUpdateTime().AsTime(),
	}
}

// HomestayFields converts a homestay's editable fields to their message.
func HomestayFields(f app.HomestayFields) *travelv1.HomestayFields {
	return &travelv1.HomestayFields{
		Title:            f.Title,
		Subtitle:         f.Subtitle,
		BannerUrls:       slices.Clone(f.BannerURLs),
		Info:             f.Info,
		PeopleCount:      f.PeopleCount,
		SaleType:         travelv1.SaleType(f.SaleType),
		FoodInfo:         f.FoodInfo,
		FoodPriceCents:   f.FoodPriceCents,
		PriceCents:       f.PriceCents,
		MarketPriceCents: f.MarketPriceCents,
	}
}

// AppHomestayFields converts a homestay fields message to the domain type.
func AppHomestayFields(m *travelv1.HomestayFields) app.HomestayFields {
	return app.HomestayFields{
		Title:            m.GetTitle(),
		Subtitle:         m.GetSubtitle(),
		BannerURLs:       nonNil(m.GetBannerUrls()),
		Info:             m.GetInfo(),
		PeopleCount:      m.GetPeopleCount(),
		SaleType:         app.SaleType(m.GetSaleType()),
		FoodInfo:         m.GetFoodInfo(),
		FoodPriceCents:   m.GetFoodPriceCents(),
		PriceCents:       m.GetPriceCents(),
		MarketPriceCents: m.GetMarketPriceCents(),
	}
}

// Business converts a business to its message.
func Business(b *app.Business) *travelv1.Business {
	return &travelv1.Business{
		Id:            b.ID,
		OwnerUserId:   b.OwnerUserID,
		Fields:        BusinessFields(b.Fields),
		Rating:        rating(b.Rating),
		HomestayCount: b.HomestayCount,
		Version:       b.Version,
		CreateTime:    timestamppb.New(b.CreateTime),
		UpdateTime:    timestamppb.New(b.UpdateTime),
	}
}

// Businesses converts businesses to messages.
func Businesses(bs []*app.Business) []*travelv1.Business {
	out := make([]*travelv1.Business, len(bs))
	for i, b := range bs {
		out[i] = Business(b)
	}
	return out
}

// AppBusiness converts a business message to the domain type.
func AppBusiness(m *travelv1.Business) *app.Business {
	return &app.Business{
		ID:            m.GetId(),
		OwnerUserID:   m.GetOwnerUserId(),
		Fields:        AppBusinessFields(m.GetFields()),
		Rating:        appRating(m.GetRating()),
		HomestayCount: m.GetHomestayCount(),
		Version:       m.GetVersion(),
		CreateTime:    m.GetCreateTime().AsTime(),
		UpdateTime:    m.GetUpdateTime().AsTime(),
	}
}

// BusinessFields converts a business's editable fields to their message.
func BusinessFields(f app.BusinessFields) *travelv1.BusinessFields {
	return &travelv1.BusinessFields{
		Title:          f.Title,
		Info:           f.Info,
		BossInfo:       f.BossInfo,
		Tags:           slices.Clone(f.Tags),
		CoverUrl:       f.CoverURL,
		HeaderImageUrl: f.HeaderImageURL,
		Open:           f.Open,
	}
}

// AppBusinessFields converts a business fields message to the domain type.
func AppBusinessFields(m *travelv1.BusinessFields) app.BusinessFields {
	return app.BusinessFields{
		Title:          m.GetTitle(),
		Info:           m.GetInfo(),
		BossInfo:       m.GetBossInfo(),
		Tags:           nonNil(m.GetTags()),
		CoverURL:       m.GetCoverUrl(),
		HeaderImageURL: m.GetHeaderImageUrl(),
		Open:           m.GetOpen(),
	}
}

// Comment converts a comment to its message.
func Comment(c *app.Comment) *travelv1.Comment {
	return &travelv1.Comment{
		Id:         c.ID,
		HomestayId: c.HomestayID,
		UserId:     c.UserID,
		Content:    c.Content,
		Star:       c.Star,
		CreateTime: timestamppb.New(c.CreateTime),
	}
}

// Comments converts comments to messages.
func Comments(cs []app.Comment) []*travelv1.Comment {
	out := make([]*travelv1.Comment, len(cs))
	for i := range cs {
		out[i] = Comment(&cs[i])
	}
	return out
}

// Activity converts a curated-list entry to its message.
func Activity(a *app.Activity) *travelv1.Activity {
	return &travelv1.Activity{
		Id:        a.ID,
		Kind:      travelv1.ActivityKind(a.Kind),
		DataId:    a.DataID,
		Enabled:   a.Enabled,
		SortOrder: a.SortOrder,
	}
}

func rating(r app.Rating) *travelv1.Rating {
	return &travelv1.Rating{Average: r.Average, Count: r.Count}
}

func appRating(m *travelv1.Rating) app.Rating {
	return app.Rating{Average: m.GetAverage(), Count: m.GetCount()}
}

// nonNil copies s, turning nil into an empty slice so stored JSON lists are [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// AppComment converts a comment message back, as the store's list cache holds them.
func AppComment(m *travelv1.Comment) app.Comment {
	return app.Comment{
		ID:         m.GetId(),
		HomestayID: m.GetHomestayId(),
		UserID:     m.GetUserId(),
		Content:    m.GetContent(),
		Star:       m.GetStar(),
		CreateTime: m.GetCreateTime().AsTime(),
	}
}

// AppActivity converts a curated-list entry message back, as the store's list cache holds them.
func AppActivity(m *travelv1.Activity) app.Activity {
	return app.Activity{
		ID:        m.GetId(),
		Kind:      app.ActivityKind(m.GetKind()),
		DataID:    m.GetDataId(),
		Enabled:   m.GetEnabled(),
		SortOrder: m.GetSortOrder(),
	}
}
