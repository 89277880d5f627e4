package server_test

import (
	"context"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/testenv"
)

// TestEveryRPC walks a landlord, guests and an admin through every RPC's happy path, over both
// protocols and both databases.
func TestEveryRPC(t *testing.T) {
	t.Parallel()
	for _, b := range testenv.Backends() {
		for _, p := range protocols {
			t.Run(b.Name+"/"+p.name, func(t *testing.T) {
				t.Parallel()
				c := p.pick(start(t, b.URL(t), nil, ""))
				ctx := context.Background()
				const landlord, guest1, guest2 = 10, 20, 21

				// A user becomes a landlord by creating a business.
				biz := createBusiness(t, c, landlord)
				if biz.GetId() == 0 || biz.GetOwnerUserId() != landlord || biz.GetVersion() != 1 ||
					!proto.Equal(biz.GetFields(), businessFields("Stays of 10")) || biz.GetCreateTime() == nil {
					t.Fatalf("CreateBusiness = %v", biz)
				}
				gb, err := c.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: biz.GetId()}))
				if err != nil || !proto.Equal(gb.Msg.GetBusiness(), biz) {
					t.Fatalf("GetBusiness = %v, %v", gb, err)
				}
				bo, err := c.GetBusinessByOwner(ctx, req(&travelv1.GetBusinessByOwnerRequest{OwnerUserId: landlord}))
				if err != nil || bo.Msg.GetBusiness().GetId() != biz.GetId() {
					t.Fatalf("GetBusinessByOwner = %v, %v", bo, err)
				}
				fields := businessFields("West Lake Courtyard Stays")
				fields.Tags = []string{"tea", "lake"}
				ub, err := c.UpdateBusiness(ctx, req(&travelv1.UpdateBusinessRequest{Id: biz.GetId(), OwnerUserId: landlord, Version: 1, Fields: fields}))
				if err != nil || ub.Msg.GetBusiness().GetVersion() != 2 || !proto.Equal(ub.Msg.GetBusiness().GetFields(), fields) {
					t.Fatalf("UpdateBusiness = %v, %v", ub, err)
				}

				// Homestays start off shelf: only the landlord sees them.
				ch, err := c.CreateHomestay(ctx, req(&travelv1.CreateHomestayRequest{LandlordUserId: landlord, Fields: homestayFields("Courtyard House by West Lake")}))
				if err != nil {
					t.Fatal(err)
				}
				h := ch.Msg.GetHomestay()
				if h.GetOnShelf() || h.GetBusinessId() != biz.GetId() || h.GetLandlordUserId() != landlord || h.GetVersion() != 1 ||
					!proto.Equal(h.GetFields(), homestayFields("Courtyard House by West Lake")) || h.GetRating().GetCount() != 0 {
					t.Fatalf("CreateHomestay = %v", h)
				}
				if _, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId()})); err == nil {
					t.Fatal("anonymous GetHomestay of an off-shelf homestay succeeded")
				}
				gh, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId(), ViewerUserId: landlord}))
				if err != nil || !proto.Equal(gh.Msg.GetHomestay(), h) {
					t.Fatalf("landlord GetHomestay = %v, %v", gh, err)
				}
				hf := homestayFields("Courtyard House by West Lake")
				hf.SaleType = travelv1.SaleType_SALE_TYPE_PER_PERSON
				hf.PriceCents = 68800
				uh, err := c.UpdateHomestay(ctx, req(&travelv1.UpdateHomestayRequest{Id: h.GetId(), LandlordUserId: landlord, Version: 1, Fields: hf}))
				if err != nil || uh.Msg.GetHomestay().GetVersion() != 2 || !proto.Equal(uh.Msg.GetHomestay().GetFields(), hf) {
					t.Fatalf("UpdateHomestay = %v, %v", uh, err)
				}
				sh, err := c.SetHomestayOnShelf(ctx, req(&travelv1.SetHomestayOnShelfRequest{Id: h.GetId(), LandlordUserId: landlord, OnShelf: true}))
				if err != nil || !sh.Msg.GetHomestay().GetOnShelf() || sh.Msg.GetHomestay().GetVersion() != 3 {
					t.Fatalf("SetHomestayOnShelf = %v, %v", sh, err)
				}
				h2 := createHomestay(t, c, landlord, "Longjing Tea Garden Cottage", true)
				draft := createHomestay(t, c, landlord, "Draft", false)

				gh, err = c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId()}))
				if err != nil || gh.Msg.GetHomestay().GetFields().GetPriceCents() != 68800 {
					t.Fatalf("public GetHomestay = %v, %v", gh, err)
				}
				bh, err := c.BatchGetHomestays(ctx, req(&travelv1.BatchGetHomestaysRequest{Ids: []int64{draft.GetId(), h2.GetId(), 99999, h.GetId(), h2.GetId()}}))
				if err != nil || !slices.Equal(homestayIDs(bh.Msg.GetHomestays()), []int64{h2.GetId(), h.GetId()}) {
					t.Fatalf("public BatchGetHomestays = %v, %v", bh, err)
				}
				bh, err = c.BatchGetHomestays(ctx, req(&travelv1.BatchGetHomestaysRequest{Ids: []int64{draft.GetId(), h.GetId()}, ViewerUserId: landlord}))
				if err != nil || !slices.Equal(homestayIDs(bh.Msg.GetHomestays()), []int64{draft.GetId(), h.GetId()}) {
					t.Fatalf("landlord BatchGetHomestays = %v, %v", bh, err)
				}
				ll, err := c.ListLandlordHomestays(ctx, req(&travelv1.ListLandlordHomestaysRequest{LandlordUserId: landlord}))
				if err != nil || !slices.Equal(homestayIDs(ll.Msg.GetHomestays()), []int64{draft.GetId(), h2.GetId(), h.GetId()}) || ll.Msg.GetNextPageToken() != "" {
					t.Fatalf("ListLandlordHomestays = %v, %v", ll, err)
				}
				lb, err := c.ListBusinessHomestays(ctx, req(&travelv1.ListBusinessHomestaysRequest{BusinessId: biz.GetId()}))
				if err != nil || !slices.Equal(homestayIDs(lb.Msg.GetHomestays()), []int64{h2.GetId(), h.GetId()}) {
					t.Fatalf("ListBusinessHomestays = %v, %v", lb, err)
				}

				// Guests comment; ratings follow.
				c1 := comment(t, c, h.GetId(), guest1, 5)
				c2 := comment(t, c, h.GetId(), guest2, 4)
				comment(t, c, h2.GetId(), guest1, 2)
				if c1.GetUserId() != guest1 || c1.GetStar() != 5 || c1.GetContent() != "Lovely stay" || c1.GetCreateTime() == nil {
					t.Fatalf("CreateComment = %v", c1)
				}
				lc, err := c.ListComments(ctx, req(&travelv1.ListCommentsRequest{HomestayId: h.GetId()}))
				if err != nil || len(lc.Msg.GetComments()) != 2 || lc.Msg.GetComments()[0].GetId() != c2.GetId() {
					t.Fatalf("ListComments = %v, %v", lc, err)
				}
				gh, _ = c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId()}))
				if r := gh.Msg.GetHomestay().GetRating(); r.GetCount() != 2 || r.GetAverage() != 4.5 {
					t.Fatalf("homestay rating = %v", r)
				}
				gb, _ = c.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: biz.GetId()}))
				if r := gb.Msg.GetBusiness().GetRating(); r.GetCount() != 3 || r.GetAverage() != 11.0/3 || gb.Msg.GetBusiness().GetHomestayCount() != 2 {
					t.Fatalf("business = %v", gb.Msg.GetBusiness())
				}

				// Curated lists.
				other := createBusiness(t, c, 11)
				oh := createHomestay(t, c, 11, "Erhai Lakeview Room", true)
				for i, id := range []int64{h.GetId(), h2.GetId(), oh.GetId(), draft.GetId()} {
					sa, err := c.SetActivity(ctx, req(&travelv1.SetActivityRequest{
						Kind: travelv1.ActivityKind_ACTIVITY_KIND_PREFERRED_HOMESTAY, DataId: id, Enabled: true, SortOrder: int32(10 * i),
					}))
					if err != nil || sa.Msg.GetActivity().GetDataId() != id || sa.Msg.GetActivity().GetSortOrder() != int32(10*i) || sa.Msg.GetActivity().GetId() == 0 {
						t.Fatalf("SetActivity = %v, %v", sa, err)
					}
				}
				lp, err := c.ListPreferredHomestays(ctx, req(&travelv1.ListPreferredHomestaysRequest{}))
				if err != nil || !slices.Equal(homestayIDs(lp.Msg.GetHomestays()), []int64{oh.GetId(), h2.GetId(), h.GetId()}) {
					t.Fatalf("ListPreferredHomestays = %v, %v", lp, err)
				}
				for _, id := range []int64{biz.GetId(), other.GetId()} {
					if _, err := c.SetActivity(ctx, req(&travelv1.SetActivityRequest{Kind: travelv1.ActivityKind_ACTIVITY_KIND_GOOD_BOSS, DataId: id, Enabled: true})); err != nil {
						t.Fatal(err)
					}
				}
				gbs, err := c.ListGoodBosses(ctx, req(&travelv1.ListGoodBossesRequest{}))
				// biz: (11+15)/(3+5) = 3.25 beats other's prior 3.
				if err != nil || !slices.Equal(businessIDs(gbs.Msg.GetBusinesses()), []int64{biz.GetId(), other.GetId()}) {
					t.Fatalf("ListGoodBosses = %v, %v", gbs, err)
				}
				lbs, err := c.ListBusinesses(ctx, req(&travelv1.ListBusinessesRequest{}))
				if err != nil || !slices.Equal(businessIDs(lbs.Msg.GetBusinesses()), []int64{other.GetId(), biz.GetId()}) {
					t.Fatalf("ListBusinesses = %v, %v", lbs, err)
				}
				bb, err := c.BatchGetBusinesses(ctx, req(&travelv1.BatchGetBusinessesRequest{Ids: []int64{other.GetId(), 4242, biz.GetId()}}))
				if err != nil || !slices.Equal(businessIDs(bb.Msg.GetBusinesses()), []int64{other.GetId(), biz.GetId()}) {
					t.Fatalf("BatchGetBusinesses = %v, %v", bb, err)
				}

				// Guess: h is (9+15)/(2+5)=3.43, oh 3, h2 (2+15)/6=2.83; guest1 reviewed h and h2.
				gs, err := c.ListGuessHomestays(ctx, req(&travelv1.ListGuessHomestaysRequest{}))
				if err != nil || !slices.Equal(homestayIDs(gs.Msg.GetHomestays()), []int64{h.GetId(), oh.GetId(), h2.GetId()}) {
					t.Fatalf("anonymous ListGuessHomestays = %v, %v", gs, err)
				}
				gs, err = c.ListGuessHomestays(ctx, req(&travelv1.ListGuessHomestaysRequest{UserId: guest1}))
				if err != nil || !slices.Equal(homestayIDs(gs.Msg.GetHomestays()), []int64{oh.GetId()}) {
					t.Fatalf("ListGuessHomestays(guest1) = %v, %v", gs, err)
				}
				gs, err = c.ListGuessHomestays(ctx, req(&travelv1.ListGuessHomestaysRequest{PageSize: 1}))
				if err != nil || !slices.Equal(homestayIDs(gs.Msg.GetHomestays()), []int64{h.GetId()}) {
					t.Fatalf("ListGuessHomestays(page 1) = %v, %v", gs, err)
				}

				// Off shelf again: hidden from public lists, still the landlord's.
				if _, err := c.SetHomestayOnShelf(ctx, req(&travelv1.SetHomestayOnShelfRequest{Id: h.GetId(), LandlordUserId: landlord, OnShelf: false})); err != nil {
					t.Fatal(err)
				}
				lp, _ = c.ListPreferredHomestays(ctx, req(&travelv1.ListPreferredHomestaysRequest{}))
				lb, _ = c.ListBusinessHomestays(ctx, req(&travelv1.ListBusinessHomestaysRequest{BusinessId: biz.GetId()}))
				gs, _ = c.ListGuessHomestays(ctx, req(&travelv1.ListGuessHomestaysRequest{}))
				ll, _ = c.ListLandlordHomestays(ctx, req(&travelv1.ListLandlordHomestaysRequest{LandlordUserId: landlord}))
				for name, ids := range map[string][]int64{
					"preferred": homestayIDs(lp.Msg.GetHomestays()),
					"business":  homestayIDs(lb.Msg.GetHomestays()),
					"guess":     homestayIDs(gs.Msg.GetHomestays()),
				} {
					if slices.Contains(ids, h.GetId()) {
						t.Fatalf("%s list shows an off-shelf homestay: %v", name, ids)
					}
				}
				if !slices.Contains(homestayIDs(ll.Msg.GetHomestays()), h.GetId()) {
					t.Fatal("landlord list lost the off-shelf homestay")
				}
				gb, _ = c.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: biz.GetId()}))
				if gb.Msg.GetBusiness().GetHomestayCount() != 1 {
					t.Fatalf("homestay count after shelving off = %d", gb.Msg.GetBusiness().GetHomestayCount())
				}
			})
		}
	}
}
