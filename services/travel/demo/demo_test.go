package demo_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/looklook/looklook/platform/database"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/travel/demo"
	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/ent/activity"
	"github.com/looklook/looklook/services/travel/ent/comment"
	"github.com/looklook/looklook/services/travel/ent/homestay"
	"github.com/looklook/looklook/services/travel/internal/store"
)

func TestSeed(t *testing.T) {
	t.Parallel()
	for _, b := range testenv.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			drv, err := database.Open(ctx, b.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			client := ent.NewClient(ent.Driver(drv))
			defer client.Close()
			if err := store.Migrate(ctx, client); err != nil {
				t.Fatal(err)
			}
			users := demo.Users{LandlordUserIDs: []int64{101, 102, 103, 104, 105, 106, 107}, GuestUserIDs: []int64{201, 202, 203, 204, 205, 206, 207, 208, 209, 210}}
			sum, err := demo.Seed(ctx, client, users)
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.BusinessIDs) != 6 || len(sum.HomestayIDs) != 24 || sum.Comments < 50 {
				t.Fatalf("summary = %d businesses, %d homestays, %d comments", len(sum.BusinessIDs), len(sum.HomestayIDs), sum.Comments)
			}
			if n := client.Comment.Query().CountX(ctx); n != sum.Comments {
				t.Fatalf("%d comments stored, summary says %d", n, sum.Comments)
			}
			if n := client.Homestay.Query().Where(homestay.OnShelf(false)).CountX(ctx); n != 2 {
				t.Fatalf("%d homestays off shelf, want 2", n)
			}
			if n := client.Activity.Query().Where(activity.KindEQ(activity.KindPreferredHomestay)).CountX(ctx); n != 8 {
				t.Fatalf("%d preferred entries, want 8", n)
			}
			if n := client.Activity.Query().Where(activity.KindEQ(activity.KindGoodBoss)).CountX(ctx); n != 4 {
				t.Fatalf("%d good-boss entries, want 4", n)
			}
			url := regexp.MustCompile(`^https://images\.looklook\.dev/`)
			for _, h := range client.Homestay.Query().AllX(ctx) {
				var sum, count int64
				for _, c := range client.Comment.Query().Where(comment.HomestayID(h.ID)).AllX(ctx) {
					sum += int64(c.Star)
					count++
				}
				if h.StarSum != sum || h.CommentCount != count || h.Score != store.Score(sum, count) {
					t.Fatalf("homestay %d: star_sum %d count %d score %v; comments say %d, %d", h.ID, h.StarSum, h.CommentCount, h.Score, sum, count)
				}
				if h.PriceCents <= 0 || h.MarketPriceCents < h.PriceCents || len(h.BannerUrls) == 0 || !url.MatchString(h.BannerUrls[0]) {
					t.Fatalf("homestay %d: %+v", h.ID, h)
				}
				if h.LandlordUserID < 101 || h.LandlordUserID > 106 {
					t.Fatalf("homestay %d belongs to %d", h.ID, h.LandlordUserID)
				}
			}
			for _, b := range client.Business.Query().WithHomestays().AllX(ctx) {
				var sum, count int64
				for _, h := range b.Edges.Homestays {
					sum += h.StarSum
					count += h.CommentCount
				}
				if b.StarSum != sum || b.CommentCount != count {
					t.Fatalf("business %d: star_sum %d count %d; homestays say %d, %d", b.ID, b.StarSum, b.CommentCount, sum, count)
				}
			}
			if _, err := demo.Seed(ctx, client, users); !errors.Is(err, demo.ErrNotEmpty) {
				t.Fatalf("second Seed = %v, want ErrNotEmpty", err)
			}
		})
	}
}

func TestPeople(t *testing.T) {
	t.Parallel()
	mobile := regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	seen := map[string]bool{}
	people := append(demo.Landlords(), demo.Guests()...)
	for _, p := range people {
		if !mobile.MatchString(p.Mobile) || seen[p.Mobile] || p.Nickname == "" {
			t.Fatalf("bad demo person %+v", p)
		}
		seen[p.Mobile] = true
	}
	u := demo.DefaultUsers()
	if len(u.LandlordUserIDs) != len(demo.Landlords()) || len(u.GuestUserIDs) != len(demo.Guests()) {
		t.Fatalf("DefaultUsers = %+v", u)
	}
	if _, err := demo.Seed(context.Background(), nil, demo.Users{}); err == nil {
		t.Fatal("Seed without landlords succeeded")
	}
}
