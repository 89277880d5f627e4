package server_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"connectrpc.com/connect"
	_ "github.com/lib/pq"
	"google.golang.org/protobuf/proto"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/testenv"
)

// TestGetHomestayDetail checks that the one-call detail equals what GetHomestay, GetBusiness and
// ListComments answer separately, with the same visibility rules, over both protocols and both
// databases.
func TestGetHomestayDetail(t *testing.T) {
	t.Parallel()
	for _, b := range testenv.Backends() {
		for _, p := range protocols {
			t.Run(b.Name+"/"+p.name, func(t *testing.T) {
				t.Parallel()
				c := p.pick(start(t, b.URL(t), nil, ""))
				ctx := context.Background()
				const landlord = 10
				createBusiness(t, c, landlord)
				h := createHomestay(t, c, landlord, "Courtyard", true)
				hidden := createHomestay(t, c, landlord, "Not yet", false)
				for u := range int64(4) {
					comment(t, c, h.GetId(), 100+u, 5)
				}

				res, err := c.GetHomestayDetail(ctx, req(&travelv1.GetHomestayDetailRequest{Id: h.GetId(), CommentPageSize: 3}))
				if err != nil {
					t.Fatal(err)
				}
				d := res.Msg
				gh, _ := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId()}))
				gb, _ := c.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: h.GetBusinessId()}))
				lc, _ := c.ListComments(ctx, req(&travelv1.ListCommentsRequest{HomestayId: h.GetId(), PageSize: 3}))
				if !proto.Equal(d.GetHomestay(), gh.Msg.GetHomestay()) || !proto.Equal(d.GetBusiness(), gb.Msg.GetBusiness()) {
					t.Fatalf("detail homestay/business = %v / %v, want %v / %v", d.GetHomestay(), d.GetBusiness(), gh.Msg.GetHomestay(), gb.Msg.GetBusiness())
				}
				if len(d.GetComments()) != 3 || !slices.EqualFunc(d.GetComments(), lc.Msg.GetComments(), func(a, b *travelv1.Comment) bool { return proto.Equal(a, b) }) {
					t.Fatalf("detail comments = %v, want %v", d.GetComments(), lc.Msg.GetComments())
				}
				if len(d.GetMissingParts()) != 0 {
					t.Fatalf("missing parts = %v", d.GetMissingParts())
				}
				// The token continues with ListComments.
				rest, err := c.ListComments(ctx, req(&travelv1.ListCommentsRequest{HomestayId: h.GetId(), PageSize: 3, PageToken: d.GetCommentsNextPageToken()}))
				if err != nil || len(rest.Msg.GetComments()) != 1 || rest.Msg.GetNextPageToken() != "" {
					t.Fatalf("comments after the detail's page = %v, %v", rest, err)
				}
				// Page size 0 means 20: every comment, no token.
				all, err := c.GetHomestayDetail(ctx, req(&travelv1.GetHomestayDetailRequest{Id: h.GetId()}))
				if err != nil || len(all.Msg.GetComments()) != 4 || all.Msg.GetCommentsNextPageToken() != "" {
					t.Fatalf("default page = %v, %v", all, err)
				}

				// Visibility as GetHomestay: hidden and unknown look the same.
				_, err = c.GetHomestayDetail(ctx, req(&travelv1.GetHomestayDetailRequest{Id: hidden.GetId()}))
				wantError(t, err, connect.CodeNotFound, "homestay not found")
				_, err = c.GetHomestayDetail(ctx, req(&travelv1.GetHomestayDetailRequest{Id: hidden.GetId() + 1000}))
				wantError(t, err, connect.CodeNotFound, "homestay not found")
				own, err := c.GetHomestayDetail(ctx, req(&travelv1.GetHomestayDetailRequest{Id: hidden.GetId(), ViewerUserId: landlord}))
				if err != nil || own.Msg.GetHomestay().GetId() != hidden.GetId() || len(own.Msg.GetComments()) != 0 {
					t.Fatalf("the landlord's own off-shelf detail = %v, %v", own, err)
				}
				_, err = c.GetHomestayDetail(ctx, req(&travelv1.GetHomestayDetailRequest{Id: h.GetId(), CommentPageSize: 101}))
				wantCode(t, err, connect.CodeInvalidArgument)
			})
		}
	}
}

// TestGetHomestayDetailMissingParts breaks the business and comment tables of a private database
// before anything is cached: the detail still carries the homestay, names both missing parts and
// leaks no database text.
func TestGetHomestayDetailMissingParts(t *testing.T) {
	t.Parallel()
	url := testenv.PostgresURL(t)
	c := start(t, url, nil, "").client
	ctx := context.Background()
	createBusiness(t, c, 10)
	h := createHomestay(t, c, 10, "Courtyard", true)

	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		`ALTER TABLE businesses RENAME TO businesses_gone`,
		`ALTER TABLE comments RENAME TO comments_gone`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}

	res, err := c.GetHomestayDetail(ctx, req(&travelv1.GetHomestayDetailRequest{Id: h.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	want := []travelv1.HomestayDetailPart{
		travelv1.HomestayDetailPart_HOMESTAY_DETAIL_PART_BUSINESS,
		travelv1.HomestayDetailPart_HOMESTAY_DETAIL_PART_COMMENTS,
	}
	if res.Msg.GetHomestay().GetId() != h.GetId() || res.Msg.GetBusiness() != nil || len(res.Msg.GetComments()) != 0 ||
		!slices.Equal(res.Msg.GetMissingParts(), want) {
		t.Fatalf("detail with broken tables = %v", res.Msg)
	}
	// The parts alone fail with a public error.
	_, err = c.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: h.GetBusinessId()}))
	wantCode(t, err, connect.CodeInternal)
}
