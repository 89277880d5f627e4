package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/travel/internal/pagetoken"
)

// pageFunc fetches one page of a list.
type pageFunc func(ctx context.Context, token string) (ids []int64, next string, err error)

// walk reads every page of a list, calling between after each page but the last, and returns
// the ids in list order.
func walk(t *testing.T, size int, page pageFunc, between func()) []int64 {
	t.Helper()
	var all []int64
	token := ""
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("list does not end")
		}
		ids, next, err := page(context.Background(), token)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) > size || (next != "" && len(ids) == 0) {
			t.Fatalf("page %d has %d rows (size %d, next %q)", pages, len(ids), size, next)
		}
		all = append(all, ids...)
		if next == "" {
			return all
		}
		between()
		token = next
	}
}

// checkWalk fails on duplicates and on initial rows the walk missed.
func checkWalk(t *testing.T, got, initial []int64) {
	t.Helper()
	seen := make(map[int64]bool, len(got))
	for _, id := range got {
		if seen[id] {
			t.Fatalf("id %d listed twice: %v", id, got)
		}
		seen[id] = true
	}
	for _, id := range initial {
		if !seen[id] {
			t.Fatalf("id %d existed at the start but was never listed: %v", id, got)
		}
	}
}

// TestPaginationUnderInserts walks every paged list page by page while rows are added between
// pages: keyset pages never repeat a row or skip one that existed at the start, which OFFSET
// pages would.
func TestPaginationUnderInserts(t *testing.T) {
	t.Parallel()
	for _, b := range testenv.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			c := start(t, b.URL(t), nil, "").client
			ctx := context.Background()
			const landlord, initial, size = 10, 23, 5
			r := rand.New(rand.NewPCG(1, 2))
			biz := createBusiness(t, c, landlord)
			nextUser := int64(1000)

			var homestays, businesses []int64
			addHomestay := func(onShelf bool) int64 {
				h := createHomestay(t, c, landlord, "Room", onShelf)
				// A few sort orders only, so ties are common and the id breaks them.
				if _, err := c.SetActivity(ctx, req(&travelv1.SetActivityRequest{
					Kind: travelv1.ActivityKind_ACTIVITY_KIND_PREFERRED_HOMESTAY, DataId: h.GetId(), Enabled: true, SortOrder: int32(r.IntN(4)),
				})); err != nil {
					t.Fatal(err)
				}
				return h.GetId()
			}
			addBusiness := func() int64 {
				nextUser++
				return createBusiness(t, c, nextUser).GetId()
			}
			for range initial {
				homestays = append(homestays, addHomestay(true))
				businesses = append(businesses, addBusiness())
			}
			businesses = append(businesses, biz.GetId())
			target := homestays[0]
			var comments []int64
			addComment := func() int64 {
				nextUser++
				return comment(t, c, target, nextUser, int32(1+r.IntN(5))).GetId()
			}
			for range initial {
				comments = append(comments, addComment())
			}
			insertHomestays := func() { addHomestay(true); addHomestay(false) }

			t.Run("preferred", func(t *testing.T) {
				got := walk(t, size, func(ctx context.Context, token string) ([]int64, string, error) {
					res, err := c.ListPreferredHomestays(ctx, req(&travelv1.ListPreferredHomestaysRequest{PageSize: size, PageToken: token}))
					return homestayIDs(res.Msg.GetHomestays()), res.Msg.GetNextPageToken(), err
				}, insertHomestays)
				checkWalk(t, got, homestays)
			})
			t.Run("business homestays", func(t *testing.T) {
				got := walk(t, size, func(ctx context.Context, token string) ([]int64, string, error) {
					res, err := c.ListBusinessHomestays(ctx, req(&travelv1.ListBusinessHomestaysRequest{BusinessId: biz.GetId(), PageSize: size, PageToken: token}))
					return homestayIDs(res.Msg.GetHomestays()), res.Msg.GetNextPageToken(), err
				}, insertHomestays)
				checkWalk(t, got, homestays)
				if !slices.IsSortedFunc(got, func(a, b int64) int { return int(b - a) }) {
					t.Fatalf("not newest first: %v", got)
				}
			})
			t.Run("landlord homestays", func(t *testing.T) {
				all, err := c.ListLandlordHomestays(ctx, req(&travelv1.ListLandlordHomestaysRequest{LandlordUserId: landlord, PageSize: 100}))
				if err != nil {
					t.Fatal(err)
				}
				before := homestayIDs(all.Msg.GetHomestays())
				got := walk(t, size, func(ctx context.Context, token string) ([]int64, string, error) {
					res, err := c.ListLandlordHomestays(ctx, req(&travelv1.ListLandlordHomestaysRequest{LandlordUserId: landlord, PageSize: size, PageToken: token}))
					return homestayIDs(res.Msg.GetHomestays()), res.Msg.GetNextPageToken(), err
				}, insertHomestays)
				checkWalk(t, got, before)
			})
			t.Run("businesses", func(t *testing.T) {
				got := walk(t, size, func(ctx context.Context, token string) ([]int64, string, error) {
					res, err := c.ListBusinesses(ctx, req(&travelv1.ListBusinessesRequest{PageSize: size, PageToken: token}))
					return businessIDs(res.Msg.GetBusinesses()), res.Msg.GetNextPageToken(), err
				}, func() { addBusiness() })
				checkWalk(t, got, businesses)
			})
			t.Run("comments", func(t *testing.T) {
				got := walk(t, size, func(ctx context.Context, token string) ([]int64, string, error) {
					res, err := c.ListComments(ctx, req(&travelv1.ListCommentsRequest{HomestayId: target, PageSize: size, PageToken: token}))
					var ids []int64
					for _, c := range res.Msg.GetComments() {
						ids = append(ids, c.GetId())
					}
					return ids, res.Msg.GetNextPageToken(), err
				}, func() { addComment() })
				checkWalk(t, got, comments)
			})
			t.Run("default page size is 20", func(t *testing.T) {
				res, err := c.ListBusinesses(ctx, req(&travelv1.ListBusinessesRequest{}))
				if err != nil || len(res.Msg.GetBusinesses()) != 20 || res.Msg.GetNextPageToken() == "" {
					t.Fatalf("ListBusinesses() = %d rows, next %q, %v", len(res.Msg.GetBusinesses()), res.Msg.GetNextPageToken(), err)
				}
			})
		})
	}
}

// TestPageTokens rejects tokens that were altered, forged or issued for another list or scope.
func TestPageTokens(t *testing.T) {
	t.Parallel()
	inst := start(t, testenv.PostgresURL(t), nil, "")
	c := inst.client
	ctx := context.Background()
	var shelved []int64
	for owner := int64(1); owner <= 3; owner++ {
		createBusiness(t, c, owner)
		for range 3 {
			shelved = append(shelved, createHomestay(t, c, owner, "Room", true).GetId())
		}
	}
	for u := range int64(3) {
		comment(t, c, shelved[0], 100+u, 5)
		comment(t, c, shelved[1], 100+u, 4)
	}
	bizOf := func(owner int64) int64 {
		res, err := c.GetBusinessByOwner(ctx, req(&travelv1.GetBusinessByOwnerRequest{OwnerUserId: owner}))
		if err != nil {
			t.Fatal(err)
		}
		return res.Msg.GetBusiness().GetId()
	}
	b1, b2 := bizOf(1), bizOf(2)

	bizToken := func() string {
		res, err := c.ListBusinessHomestays(ctx, req(&travelv1.ListBusinessHomestaysRequest{BusinessId: b1, PageSize: 1}))
		if err != nil || res.Msg.GetNextPageToken() == "" {
			t.Fatalf("no token: %v", err)
		}
		return res.Msg.GetNextPageToken()
	}()
	commentToken := func() string {
		res, err := c.ListComments(ctx, req(&travelv1.ListCommentsRequest{HomestayId: shelved[0], PageSize: 1}))
		if err != nil || res.Msg.GetNextPageToken() == "" {
			t.Fatalf("no token: %v", err)
		}
		return res.Msg.GetNextPageToken()
	}()
	otherKey, err := pagetoken.NewSigner([]byte("another deployment's key"))
	if err != nil {
		t.Fatal(err)
	}
	forged := otherKey.Encode(pagetoken.Cursor{List: "businesses", ID: 1 << 40})
	tampered := []byte(bizToken)
	tampered[3] ^= 1

	type call func(travelv1connect.TravelServiceClient, string) error
	businessHomestays := func(id int64) call {
		return func(c travelv1connect.TravelServiceClient, token string) error {
			_, err := c.ListBusinessHomestays(ctx, req(&travelv1.ListBusinessHomestaysRequest{BusinessId: id, PageToken: token}))
			return err
		}
	}
	comments := func(id int64) call {
		return func(c travelv1connect.TravelServiceClient, token string) error {
			_, err := c.ListComments(ctx, req(&travelv1.ListCommentsRequest{HomestayId: id, PageToken: token}))
			return err
		}
	}
	listBusinesses := func(c travelv1connect.TravelServiceClient, token string) error {
		_, err := c.ListBusinesses(ctx, req(&travelv1.ListBusinessesRequest{PageToken: token}))
		return err
	}
	preferred := func(c travelv1connect.TravelServiceClient, token string) error {
		_, err := c.ListPreferredHomestays(ctx, req(&travelv1.ListPreferredHomestaysRequest{PageToken: token}))
		return err
	}
	landlord := func(id int64) call {
		return func(c travelv1connect.TravelServiceClient, token string) error {
			_, err := c.ListLandlordHomestays(ctx, req(&travelv1.ListLandlordHomestaysRequest{LandlordUserId: id, PageToken: token}))
			return err
		}
	}
	cases := []struct {
		name  string
		call  call
		token string
	}{
		{"a token with a flipped bit", businessHomestays(b1), string(tampered)},
		{"a token of another business", businessHomestays(b2), bizToken},
		{"a business-homestays token on the business list", listBusinesses, bizToken},
		{"a business-homestays token on the preferred list", preferred, bizToken},
		{"a business-homestays token on a landlord list", landlord(1), bizToken},
		{"a comments token of another homestay", comments(shelved[1]), commentToken},
		{"a token signed with another key", listBusinesses, forged},
		{"garbage", listBusinesses, "not-a-token"},
		{"a token without its MAC", listBusinesses, bizToken[:len(bizToken)/2]},
	}
	for _, p := range protocols {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/%s", p.name, tc.name), func(t *testing.T) {
				wantError(t, tc.call(p.pick(inst), tc.token), connect.CodeInvalidArgument, "invalid page token")
			})
		}
	}
	// The genuine tokens work where they belong.
	if err := businessHomestays(b1)(c, bizToken); err != nil {
		t.Fatal(err)
	}
	if err := comments(shelved[0])(c, commentToken); err != nil {
		t.Fatal(err)
	}
}
