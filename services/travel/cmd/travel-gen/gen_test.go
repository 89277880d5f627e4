package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/looklook/looklook/platform/database"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/ent/activity"
	"github.com/looklook/looklook/services/travel/internal/store"
)

// TestGenerate runs the generator twice into one database and checks every counter against the
// rows it counts.
func TestGenerate(t *testing.T) {
	t.Parallel()
	for _, b := range testenv.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := b.URL(t)
			var out bytes.Buffer
			args := []string{"-database-url", url, "-homestays", "300", "-comments", "4000", "-users", "50", "-preferred", "20", "-good-bosses", "5", "-quiet"}
			if err := run(ctx, args, &out, io.Discard); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "inserted 15 businesses, 300 homestays, 4000 comments") {
				t.Fatalf("output %q", out.String())
			}
			// A second run adds to the first, with new owners.
			if err := run(ctx, append(args, "-seed", "2"), io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}

			drv, err := database.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			client := ent.NewClient(ent.Driver(drv))
			defer client.Close()
			if n := client.Homestay.Query().CountX(ctx); n != 600 {
				t.Fatalf("%d homestays", n)
			}
			if n := client.Comment.Query().CountX(ctx); n != 8000 {
				t.Fatalf("%d comments", n)
			}
			if n := client.Business.Query().CountX(ctx); n != 30 {
				t.Fatalf("%d businesses", n)
			}
			if n := client.Activity.Query().Where(activity.KindEQ(activity.KindGoodBoss)).CountX(ctx); n < 5 || n > 10 {
				t.Fatalf("%d good-boss entries", n)
			}
			var perHomestay []struct {
				HomestayID int64 `json:"homestay_id"`
				Sum        int64 `json:"sum"`
				Count      int64 `json:"count"`
			}
			client.Comment.Query().GroupBy("homestay_id").Aggregate(ent.Sum("star"), ent.Count()).ScanX(ctx, &perHomestay)
			stars := map[int64][2]int64{}
			for _, r := range perHomestay {
				stars[r.HomestayID] = [2]int64{r.Sum, r.Count}
			}
			businesses := map[int64][2]int64{}
			for _, h := range client.Homestay.Query().AllX(ctx) {
				want := stars[h.ID]
				if h.StarSum != want[0] || h.CommentCount != want[1] || h.Score != store.Score(want[0], want[1]) {
					t.Fatalf("homestay %d: star_sum %d count %d score %v; comments say %v", h.ID, h.StarSum, h.CommentCount, h.Score, want)
				}
				if h.CommentCount > 50 {
					t.Fatalf("homestay %d has %d comments from 50 users", h.ID, h.CommentCount)
				}
				s := businesses[h.BusinessID]
				businesses[h.BusinessID] = [2]int64{s[0] + h.StarSum, s[1] + h.CommentCount}
			}
			owners := map[int64]bool{}
			for _, b := range client.Business.Query().AllX(ctx) {
				want := businesses[b.ID]
				if b.StarSum != want[0] || b.CommentCount != want[1] || b.Score != store.Score(want[0], want[1]) {
					t.Fatalf("business %d: star_sum %d count %d; homestays say %v", b.ID, b.StarSum, b.CommentCount, want)
				}
				if owners[b.OwnerUserID] || b.OwnerUserID < minOwnerID {
					t.Fatalf("owner %d reused or too low", b.OwnerUserID)
				}
				owners[b.OwnerUserID] = true
			}
		})
	}
}

func TestFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-homestays", "-1"},
		{"-homestays", "0", "-comments", "5"},
		{"-homestays", "2", "-users", "3", "-comments", "7"},
		{"-no-such-flag"},
	} {
		if _, err := parse(args, io.Discard); err == nil {
			t.Errorf("parse(%q) accepted", args)
		}
	}
	o, err := parse([]string{"-homestays", "1000"}, io.Discard)
	if err != nil || o.businesses != 50 || o.comments != 1_000_000 {
		t.Fatalf("parse = %+v, %v", o, err)
	}
}
