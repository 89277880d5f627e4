// Package demo writes the demo catalogue the all-in-one launcher starts with: six landlords'
// businesses around China's classic getaways, four homestays each (two of them still off
// shelf), guests' comments with stars, and the preferred-homestay and good-boss lists.
//
// Users live in usercenter, not here, so the caller brings them:
//
//  1. register Landlords() and Guests() in usercenter (any password; the launcher documents
//     its own),
//  2. pass their user ids, in the same order, as Users to Seed (or as travel.Config.DemoUsers
//     with SeedDemoData, which seeds only a database without businesses).
//
// Seed writes through the service's own rules and store, so ratings, versions and counters are
// exactly what the API would have produced. It is deterministic: the same users give the same
// catalogue.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/internal/app"
	"github.com/looklook/looklook/services/travel/internal/store"
)

// ErrNotEmpty is returned by Seed when the database already has a business.
var ErrNotEmpty = errors.New("demo: the travel database already has businesses")

// Users are the usercenter users the demo data belongs to.
type Users struct {
	// LandlordUserIDs own one demo business each, in the order of Landlords(); extra ids are
	// ignored and fewer ids seed fewer businesses. At least one is required.
	LandlordUserIDs []int64
	// GuestUserIDs write the demo comments, in the order of Guests(); none means no comments.
	GuestUserIDs []int64
}

// DefaultUsers are placeholder ids (landlords 1–6, guests 7–16) for running travel alone; they
// may name no usercenter user.
func DefaultUsers() Users {
	u := Users{}
	for i := range int64(len(landlordPeople())) {
		u.LandlordUserIDs = append(u.LandlordUserIDs, 1+i)
	}
	for i := range int64(len(guestPeople())) {
		u.GuestUserIDs = append(u.GuestUserIDs, 1+int64(len(landlordPeople()))+i)
	}
	return u
}

// Person is a demo user for the caller to register in usercenter.
type Person struct {
	// Mobile is an 11-digit mainland-China mobile number, unique among the demo users.
	Mobile string
	// Nickname is the display name.
	Nickname string
	// Info is a short self-introduction.
	Info string
}

// Landlords returns the demo landlords, one per business, in business order.
func Landlords() []Person { return landlordPeople() }

// Guests returns the demo guests who write the comments.
func Guests() []Person { return guestPeople() }

// Summary says what Seed wrote.
type Summary struct {
	// BusinessIDs are the created businesses, in the order of Landlords().
	BusinessIDs []int64
	// HomestayIDs are the created homestays, business by business.
	HomestayIDs []int64
	// Comments is how many comments were written.
	Comments int
}

// Seed writes the demo data into a travel database that has no business yet (ErrNotEmpty
// otherwise), creating the schema if needed. Seed uses no cache: a caller serving the same
// database with a cache should invalidate the returned ids.
func Seed(ctx context.Context, client *ent.Client, users Users) (*Summary, error) {
	if len(users.LandlordUserIDs) == 0 {
		return nil, errors.New("demo: at least one landlord user id is required")
	}
	if err := store.Migrate(ctx, client); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	exists, err := client.Business.Query().Exist(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if exists {
		return nil, ErrNotEmpty
	}
	st, err := store.New(ctx, client, store.Options{L1MaxItems: -1})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	defer st.Close()
	svc, err := app.New(st, []byte("demo-seed-issues-no-page-tokens"), slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	sum, err := seed(ctx, svc, users)
	if err != nil {
		if errors.Is(err, app.ErrBusinessExists) {
			return nil, ErrNotEmpty
		}
		return nil, fmt.Errorf("demo: %w", err)
	}
	return sum, nil
}

func seed(ctx context.Context, svc *app.Service, users Users) (*Summary, error) {
	sum := &Summary{}
	businesses := catalogue()
	texts := commentTexts()
	n := min(len(users.LandlordUserIDs), len(businesses))
	type placed struct {
		id       int64
		landlord int64
		quality  int32
	}
	var onShelf []placed
	for bi := range n {
		owner := users.LandlordUserIDs[bi]
		spec := businesses[bi]
		b, err := svc.CreateBusiness(ctx, owner, spec.fields(bi+1))
		if err != nil {
			return nil, fmt.Errorf("business %q: %w", spec.title, err)
		}
		sum.BusinessIDs = append(sum.BusinessIDs, b.ID)
		for hi, hs := range spec.homestays {
			h, err := svc.CreateHomestay(ctx, owner, hs.fields(len(sum.HomestayIDs)+1))
			if err != nil {
				return nil, fmt.Errorf("homestay %q: %w", hs.title, err)
			}
			sum.HomestayIDs = append(sum.HomestayIDs, h.ID)
			// The last homestay of the last two businesses stays off shelf, so the demo shows
			// a landlord's draft that the public cannot see.
			if hi == len(spec.homestays)-1 && bi >= len(businesses)-2 {
				continue
			}
			if _, err := svc.SetHomestayOnShelf(ctx, h.ID, owner, true); err != nil {
				return nil, fmt.Errorf("homestay %q on shelf: %w", hs.title, err)
			}
			onShelf = append(onShelf, placed{id: h.ID, landlord: owner, quality: hs.quality})
		}
	}

	// Each guest reviews about three in five homestays; stars scatter by one around the
	// homestay's quality so the rankings have something to rank.
	for gi, guest := range users.GuestUserIDs {
		for hi, h := range onShelf {
			if guest == h.landlord || (hi*7+gi*3)%5 >= 3 {
				continue
			}
			star := min(max(h.quality+int32((hi+gi*2)%3)-1, 1), 5)
			text := texts[star-1][(hi+gi)%len(texts[star-1])]
			if _, err := svc.CreateComment(ctx, h.id, guest, text, star); err != nil {
				return nil, fmt.Errorf("comment: %w", err)
			}
			sum.Comments++
		}
	}

	// The preferred list shows eight homestays, highest sort order first.
	for i := 0; i < 8 && i*3 < len(onShelf); i++ {
		_, err := svc.SetActivity(ctx, app.Activity{
			Kind:      app.ActivityPreferredHomestay,
			DataID:    onShelf[i*3].id,
			Enabled:   true,
			SortOrder: int32(100 - i*10),
		})
		if err != nil {
			return nil, fmt.Errorf("preferred activity: %w", err)
		}
	}
	// The good-boss list names four businesses; the service orders them by rating.
	for i, id := range sum.BusinessIDs {
		if i >= 4 {
			break
		}
		_, err := svc.SetActivity(ctx, app.Activity{Kind: app.ActivityGoodBoss, DataID: id, Enabled: true, SortOrder: 10})
		if err != nil {
			return nil, fmt.Errorf("good boss activity: %w", err)
		}
	}
	return sum, nil
}
