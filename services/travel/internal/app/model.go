package app

import "time"

// SaleType says what a homestay's price is for.
type SaleType int

// Sale types. The zero value is never stored.
const (
	SaleTypePerRoom   SaleType = 1
	SaleTypePerPerson SaleType = 2
)

// ActivityKind names a curated list.
type ActivityKind int

// Activity kinds. The zero value is never stored.
const (
	ActivityPreferredHomestay ActivityKind = 1
	ActivityGoodBoss          ActivityKind = 2
)

// Rating summarises comments: the mean star and how many there are.
type Rating struct {
	// Average is the mean star, or 0 without comments.
	Average float64
	// Count is the number of comments.
	Count int64
}

// HomestayFields are what a landlord edits on a homestay. Money is in minor units.
type HomestayFields struct {
	Title            string
	Subtitle         string
	BannerURLs       []string
	Info             string
	PeopleCount      int32
	SaleType         SaleType
	FoodInfo         string
	FoodPriceCents   int64
	PriceCents       int64
	MarketPriceCents int64
}

// Homestay is a bookable place of a business.
type Homestay struct {
	ID             int64
	BusinessID     int64
	LandlordUserID int64
	Fields         HomestayFields
	OnShelf        bool
	Rating         Rating
	Version        int64
	CreateTime     time.Time
	UpdateTime     time.Time
}

// VisibleTo reports whether viewer (0 for anonymous) may see the homestay: everyone sees it on
// shelf, only its landlord sees it off shelf.
func (h *Homestay) VisibleTo(viewer int64) bool {
	return h.OnShelf || (viewer != 0 && viewer == h.LandlordUserID)
}

// BusinessFields are what a landlord edits on a business.
type BusinessFields struct {
	Title          string
	Info           string
	BossInfo       string
	Tags           []string
	CoverURL       string
	HeaderImageURL string
	Open           bool
}

// Business is a landlord's shop.
type Business struct {
	ID          int64
	OwnerUserID int64
	Fields      BusinessFields
	Rating      Rating
	// HomestayCount is the number of its homestays on shelf.
	HomestayCount int64
	Version       int64
	CreateTime    time.Time
	UpdateTime    time.Time
}

// Comment is a user's review of a homestay.
type Comment struct {
	ID         int64
	HomestayID int64
	UserID     int64
	Content    string
	Star       int32
	CreateTime time.Time
}

// Activity is an entry of a curated list.
type Activity struct {
	ID        int64
	Kind      ActivityKind
	DataID    int64
	Enabled   bool
	SortOrder int32
}

// ActivityKey is a position in a curated list: entries are ordered by sort order, then id, both
// descending.
type ActivityKey struct {
	SortOrder int32
	ID        int64
}

// RankKey is a position in the guess-you-like ranking: score, then comment count, then id, all
// descending.
type RankKey struct {
	Score        float64
	CommentCount int64
	ID           int64
}
