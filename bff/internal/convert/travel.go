package convert

import (
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
)

// Rating maps a rating.
func Rating(r *travelv1.Rating) *bffv1.Rating {
	return &bffv1.Rating{Average: r.GetAverage(), Count: r.GetCount()}
}

// Homestay maps a travel homestay, with its business's title for cards.
func Homestay(h *travelv1.Homestay, businessTitle string) *bffv1.Homestay {
	if h == nil {
		return nil
	}
	f := h.GetFields()
	cover := ""
	if len(f.GetBannerUrls()) > 0 {
		cover = f.GetBannerUrls()[0]
	}
	return &bffv1.Homestay{
		Id:               h.GetId(),
		BusinessId:       h.GetBusinessId(),
		BusinessTitle:    businessTitle,
		LandlordUserId:   h.GetLandlordUserId(),
		Title:            f.GetTitle(),
		Subtitle:         f.GetSubtitle(),
		CoverUrl:         cover,
		BannerUrls:       f.GetBannerUrls(),
		Info:             f.GetInfo(),
		PeopleCount:      f.GetPeopleCount(),
		SaleType:         bffv1.SaleType(f.GetSaleType()),
		FoodInfo:         f.GetFoodInfo(),
		FoodPriceCents:   f.GetFoodPriceCents(),
		PriceCents:       f.GetPriceCents(),
		MarketPriceCents: f.GetMarketPriceCents(),
		OnShelf:          h.GetOnShelf(),
		Rating:           Rating(h.GetRating()),
		Version:          h.GetVersion(),
		UpdateTime:       h.GetUpdateTime(),
	}
}

// Business maps a travel business.
func Business(b *travelv1.Business) *bffv1.Business {
	if b == nil {
		return nil
	}
	f := b.GetFields()
	return &bffv1.Business{
		Id:             b.GetId(),
		OwnerUserId:    b.GetOwnerUserId(),
		Title:          f.GetTitle(),
		Info:           f.GetInfo(),
		BossInfo:       f.GetBossInfo(),
		Tags:           f.GetTags(),
		CoverUrl:       f.GetCoverUrl(),
		HeaderImageUrl: f.GetHeaderImageUrl(),
		Open:           f.GetOpen(),
		Rating:         Rating(b.GetRating()),
		HomestayCount:  b.GetHomestayCount(),
		Version:        b.GetVersion(),
	}
}

// Comment maps a travel comment with its author's profile.
func Comment(c *travelv1.Comment, author *bffv1.Profile) *bffv1.Comment {
	if author == nil {
		// The author's profile could not be loaded: show the comment anonymously rather than drop it.
		author = &bffv1.Profile{UserId: c.GetUserId()}
	}
	return &bffv1.Comment{
		Id:         c.GetId(),
		HomestayId: c.GetHomestayId(),
		Author:     author,
		Content:    c.GetContent(),
		Star:       c.GetStar(),
		CreateTime: c.GetCreateTime(),
	}
}

// HomestayFields maps a landlord's input to travel's fields.
func HomestayFields(in *bffv1.HomestayInput) *travelv1.HomestayFields {
	return &travelv1.HomestayFields{
		Title:            in.GetTitle(),
		Subtitle:         in.GetSubtitle(),
		BannerUrls:       in.GetBannerUrls(),
		Info:             in.GetInfo(),
		PeopleCount:      in.GetPeopleCount(),
		SaleType:         travelv1.SaleType(in.GetSaleType()),
		FoodInfo:         in.GetFoodInfo(),
		FoodPriceCents:   in.GetFoodPriceCents(),
		PriceCents:       in.GetPriceCents(),
		MarketPriceCents: in.GetMarketPriceCents(),
	}
}

// BusinessFields maps a landlord's input to travel's fields.
func BusinessFields(in *bffv1.BusinessInput) *travelv1.BusinessFields {
	return &travelv1.BusinessFields{
		Title:          in.GetTitle(),
		Info:           in.GetInfo(),
		BossInfo:       in.GetBossInfo(),
		Tags:           in.GetTags(),
		CoverUrl:       in.GetCoverUrl(),
		HeaderImageUrl: in.GetHeaderImageUrl(),
		Open:           in.GetOpen(),
	}
}
