package server_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	"github.com/looklook/looklook/platform/testenv"
)

// TestErrors checks each refusal's code and public message over both protocols.
func TestErrors(t *testing.T) {
	t.Parallel()
	inst := start(t, testenv.PostgresURL(t), nil, "")
	const landlord, stranger, guest = 10, 99, 20
	setup := inst.client
	biz := createBusiness(t, setup, landlord)
	h := createHomestay(t, setup, landlord, "Lakeside Loft", true)
	draft := createHomestay(t, setup, landlord, "Draft", false)
	comment(t, setup, h.GetId(), guest, 5)
	const unknown = 987654

	type call func(ctx context.Context, c travelv1connect.TravelServiceClient) error
	cases := []struct {
		name    string
		call    call
		code    connect.Code
		message string // empty: any public message
	}{
		{"GetHomestay of an unknown id is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: unknown}))
			return err
		}, connect.CodeNotFound, "homestay not found"},
		{"GetHomestay of an off-shelf homestay for someone else is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: draft.GetId(), ViewerUserId: stranger}))
			return err
		}, connect.CodeNotFound, "homestay not found"},
		{"GetBusiness of an unknown id is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: unknown}))
			return err
		}, connect.CodeNotFound, "business not found"},
		{"GetBusinessByOwner of a user without business is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.GetBusinessByOwner(ctx, req(&travelv1.GetBusinessByOwnerRequest{OwnerUserId: stranger}))
			return err
		}, connect.CodeNotFound, "business not found"},
		{"ListBusinessHomestays of an unknown business is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.ListBusinessHomestays(ctx, req(&travelv1.ListBusinessHomestaysRequest{BusinessId: unknown}))
			return err
		}, connect.CodeNotFound, "business not found"},
		{"ListComments of an unknown homestay is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.ListComments(ctx, req(&travelv1.ListCommentsRequest{HomestayId: unknown}))
			return err
		}, connect.CodeNotFound, "homestay not found"},
		{"CreateComment on an unknown homestay is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.CreateComment(ctx, req(&travelv1.CreateCommentRequest{HomestayId: unknown, UserId: guest, Content: "x", Star: 3}))
			return err
		}, connect.CodeNotFound, "homestay not found"},
		{"CreateComment on an off-shelf homestay is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.CreateComment(ctx, req(&travelv1.CreateCommentRequest{HomestayId: draft.GetId(), UserId: guest, Content: "x", Star: 3}))
			return err
		}, connect.CodeNotFound, "homestay not found"},
		{"a second comment by the same user is AlreadyExists", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.CreateComment(ctx, req(&travelv1.CreateCommentRequest{HomestayId: h.GetId(), UserId: guest, Content: "again", Star: 1}))
			return err
		}, connect.CodeAlreadyExists, "you have already reviewed this homestay"},
		{"a second business is AlreadyExists", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.CreateBusiness(ctx, req(&travelv1.CreateBusinessRequest{OwnerUserId: landlord, Fields: businessFields("Another")}))
			return err
		}, connect.CodeAlreadyExists, "you already have a business"},
		{"CreateHomestay without a business is FailedPrecondition", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.CreateHomestay(ctx, req(&travelv1.CreateHomestayRequest{LandlordUserId: stranger, Fields: homestayFields("Mine")}))
			return err
		}, connect.CodeFailedPrecondition, "create your business first"},
		{"UpdateHomestay by another user is PermissionDenied", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.UpdateHomestay(ctx, req(&travelv1.UpdateHomestayRequest{Id: h.GetId(), LandlordUserId: stranger, Version: h.GetVersion(), Fields: homestayFields("Stolen")}))
			return err
		}, connect.CodePermissionDenied, "you do not own this homestay"},
		{"SetHomestayOnShelf by another user is PermissionDenied", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.SetHomestayOnShelf(ctx, req(&travelv1.SetHomestayOnShelfRequest{Id: draft.GetId(), LandlordUserId: stranger, OnShelf: true}))
			return err
		}, connect.CodePermissionDenied, "you do not own this homestay"},
		{"UpdateBusiness by another user is PermissionDenied", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.UpdateBusiness(ctx, req(&travelv1.UpdateBusinessRequest{Id: biz.GetId(), OwnerUserId: stranger, Version: 1, Fields: businessFields("Stolen")}))
			return err
		}, connect.CodePermissionDenied, "you do not own this business"},
		{"UpdateHomestay with a stale version is Aborted", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.UpdateHomestay(ctx, req(&travelv1.UpdateHomestayRequest{Id: h.GetId(), LandlordUserId: landlord, Version: 1, Fields: homestayFields("Old")}))
			return err
		}, connect.CodeAborted, "the homestay was changed by someone else; reload and retry"},
		{"UpdateBusiness with a stale version is Aborted", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.UpdateBusiness(ctx, req(&travelv1.UpdateBusinessRequest{Id: biz.GetId(), OwnerUserId: landlord, Version: 1, Fields: businessFields("Old")}))
			return err
		}, connect.CodeAborted, "the business was changed by someone else; reload and retry"},
		{"UpdateHomestay of an unknown id is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.UpdateHomestay(ctx, req(&travelv1.UpdateHomestayRequest{Id: unknown, LandlordUserId: landlord, Version: 1, Fields: homestayFields("x")}))
			return err
		}, connect.CodeNotFound, "homestay not found"},
		{"SetHomestayOnShelf of an unknown id is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.SetHomestayOnShelf(ctx, req(&travelv1.SetHomestayOnShelfRequest{Id: unknown, LandlordUserId: landlord, OnShelf: true}))
			return err
		}, connect.CodeNotFound, "homestay not found"},
		{"UpdateBusiness of an unknown id is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.UpdateBusiness(ctx, req(&travelv1.UpdateBusinessRequest{Id: unknown, OwnerUserId: landlord, Version: 1, Fields: businessFields("x")}))
			return err
		}, connect.CodeNotFound, "business not found"},
		{"SetActivity for an unknown homestay is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.SetActivity(ctx, req(&travelv1.SetActivityRequest{Kind: travelv1.ActivityKind_ACTIVITY_KIND_PREFERRED_HOMESTAY, DataId: unknown, Enabled: true}))
			return err
		}, connect.CodeNotFound, "homestay not found"},
		{"SetActivity for an unknown business is NotFound", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			// A homestay id is not a business id.
			_, err := c.SetActivity(ctx, req(&travelv1.SetActivityRequest{Kind: travelv1.ActivityKind_ACTIVITY_KIND_GOOD_BOSS, DataId: unknown, Enabled: true}))
			return err
		}, connect.CodeNotFound, "business not found"},
		{"a landlord reviewing their own homestay is PermissionDenied", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.CreateComment(ctx, req(&travelv1.CreateCommentRequest{HomestayId: h.GetId(), UserId: landlord, Content: "Best place ever", Star: 5}))
			return err
		}, connect.CodePermissionDenied, "you cannot review your own homestay"},
		{"a blank comment is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.CreateComment(ctx, req(&travelv1.CreateCommentRequest{HomestayId: h.GetId(), UserId: 77, Content: "   ", Star: 3}))
			return err
		}, connect.CodeInvalidArgument, "content must not be blank"},

		// Validation by the API schema.
		{"page_size above 100 is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.ListBusinesses(ctx, req(&travelv1.ListBusinessesRequest{PageSize: 101}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"id 0 is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: 0}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"star 6 is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.CreateComment(ctx, req(&travelv1.CreateCommentRequest{HomestayId: h.GetId(), UserId: 77, Content: "x", Star: 6}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"an empty title is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			f := homestayFields("")
			_, err := c.CreateHomestay(ctx, req(&travelv1.CreateHomestayRequest{LandlordUserId: landlord, Fields: f}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"a banner that is not a URL is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			f := homestayFields("x")
			f.BannerUrls = []string{"javascript:alert(1)"}
			_, err := c.CreateHomestay(ctx, req(&travelv1.CreateHomestayRequest{LandlordUserId: landlord, Fields: f}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"an unspecified sale type is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			f := homestayFields("x")
			f.SaleType = travelv1.SaleType_SALE_TYPE_UNSPECIFIED
			_, err := c.UpdateHomestay(ctx, req(&travelv1.UpdateHomestayRequest{Id: h.GetId(), LandlordUserId: landlord, Version: 1, Fields: f}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"a negative price is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			f := homestayFields("x")
			f.PriceCents = -1
			_, err := c.CreateHomestay(ctx, req(&travelv1.CreateHomestayRequest{LandlordUserId: landlord, Fields: f}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"missing fields are InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.CreateBusiness(ctx, req(&travelv1.CreateBusinessRequest{OwnerUserId: 5}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"a bad cover URL is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			f := businessFields("x")
			f.CoverUrl = "not a url"
			_, err := c.CreateBusiness(ctx, req(&travelv1.CreateBusinessRequest{OwnerUserId: 5, Fields: f}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"more than 100 ids is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			ids := make([]int64, 101)
			for i := range ids {
				ids[i] = int64(i + 1)
			}
			_, err := c.BatchGetHomestays(ctx, req(&travelv1.BatchGetHomestaysRequest{Ids: ids}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"an unspecified activity kind is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.SetActivity(ctx, req(&travelv1.SetActivityRequest{DataId: h.GetId()}))
			return err
		}, connect.CodeInvalidArgument, ""},
		{"an oversized page token is InvalidArgument", func(ctx context.Context, c travelv1connect.TravelServiceClient) error {
			_, err := c.ListBusinesses(ctx, req(&travelv1.ListBusinessesRequest{PageToken: strings.Repeat("a", 600)}))
			return err
		}, connect.CodeInvalidArgument, ""},
	}
	// The group returns when its parallel subtests are done, so the check below runs last.
	t.Run("protocols", func(t *testing.T) {
		for _, p := range protocols {
			t.Run(p.name, func(t *testing.T) {
				t.Parallel()
				c := p.pick(inst)
				for _, tc := range cases {
					t.Run(tc.name, func(t *testing.T) {
						err := tc.call(context.Background(), c)
						if tc.message != "" {
							wantError(t, err, tc.code, tc.message)
						} else {
							wantCode(t, err, tc.code)
						}
					})
				}
			})
		}
	})

	// Nothing above changed anything.
	res, err := setup.GetHomestay(context.Background(), req(&travelv1.GetHomestayRequest{Id: h.GetId()}))
	if err != nil || res.Msg.GetHomestay().GetVersion() != h.GetVersion()+1 || res.Msg.GetHomestay().GetRating().GetCount() != 1 {
		t.Fatalf("homestay after refused calls = %v, %v", res, err)
	}
}
