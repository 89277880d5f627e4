package server_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/redis/go-redis/v9"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	"github.com/looklook/looklook/platform/database"
	platformserver "github.com/looklook/looklook/platform/server"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/internal/app"
	"github.com/looklook/looklook/services/travel/internal/server"
	"github.com/looklook/looklook/services/travel/internal/store"
)

// testKey signs page tokens in tests; every instance of a test shares it, as in production.
const testKey = "test-page-token-key"

// instance is one running travel service.
type instance struct {
	// client speaks the Connect protocol, grpc real gRPC.
	client, grpc travelv1connect.TravelServiceClient
}

// protocols are the client protocols handler tests run over.
var protocols = []struct { // read-only table of test cases
	name string
	pick func(*instance) travelv1connect.TravelServiceClient
}{
	{"connect", func(i *instance) travelv1connect.TravelServiceClient { return i.client }},
	{"grpc", func(i *instance) travelv1connect.TravelServiceClient { return i.grpc }},
}

// start runs a travel service on the database at url, with a Redis cache tier when rdb is set.
func start(t *testing.T, url string, rdb redis.UniversalClient, prefix string) *instance {
	t.Helper()
	ctx := context.Background()
	drv, err := database.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	client := ent.NewClient(ent.Driver(drv))
	t.Cleanup(func() { _ = client.Close() })
	if err := store.Migrate(ctx, client); err != nil {
		t.Fatal(err)
	}
	logger := testenv.Logger(t)
	st, err := store.New(ctx, client, store.Options{Redis: rdb, KeyPrefix: prefix, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := app.New(st, []byte(testKey), logger)
	if err != nil {
		t.Fatal(err)
	}
	// Cleanups run last-registered first: the server stops, then the store, then the client.
	t.Cleanup(st.Close)
	path, handler := travelv1connect.NewTravelServiceHandler(server.New(svc), platformserver.HandlerOptions(logger, platformserver.Interceptors{})...)
	base, hc := testenv.Serve(t, platformserver.Options{
		Services: []platformserver.Service{{Name: travelv1connect.TravelServiceName, Path: path, Handler: handler}},
	})
	return &instance{
		client: travelv1connect.NewTravelServiceClient(hc, base),
		grpc:   travelv1connect.NewTravelServiceClient(hc, base, connect.WithGRPC()),
	}
}

// wantCode fails unless err has code and a message free of internal text.
func wantCode(t *testing.T, err error, code connect.Code) {
	t.Helper()
	if got := connect.CodeOf(err); got != code {
		t.Fatalf("code = %v, want %v (err: %v)", got, code, err)
	}
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("not a connect error: %v", err)
	}
	msg := strings.ToLower(ce.Message())
	for _, leak := range []string{"sql", "ent:", "pq:", "constraint", "dial tcp", "127.0.0.1", "goroutine", "panic", "redis"} {
		if strings.Contains(msg, leak) {
			t.Fatalf("error message %q leaks internal text %q", ce.Message(), leak)
		}
	}
}

// wantError fails unless err has code and exactly the public message.
func wantError(t *testing.T, err error, code connect.Code, message string) {
	t.Helper()
	wantCode(t, err, code)
	var ce *connect.Error
	errors.As(err, &ce)
	if ce.Message() != message {
		t.Fatalf("message = %q, want %q", ce.Message(), message)
	}
}

func req[T any](m *T) *connect.Request[T] { return connect.NewRequest(m) }

func businessFields(title string) *travelv1.BusinessFields {
	return &travelv1.BusinessFields{
		Title: title, Info: "Family-run", BossInfo: "Hi", Tags: []string{"lake"},
		CoverUrl: "https://img.test/cover.jpg", HeaderImageUrl: "https://img.test/header.jpg", Open: true,
	}
}

func homestayFields(title string) *travelv1.HomestayFields {
	return &travelv1.HomestayFields{
		Title: title, Subtitle: "sub", BannerUrls: []string{"https://img.test/1.jpg", "https://img.test/2.jpg"},
		Info: "info", PeopleCount: 2, SaleType: travelv1.SaleType_SALE_TYPE_PER_ROOM, FoodInfo: "breakfast",
		FoodPriceCents: 3800, PriceCents: 45800, MarketPriceCents: 57800,
	}
}

// createBusiness creates owner's business.
func createBusiness(t *testing.T, c travelv1connect.TravelServiceClient, owner int64) *travelv1.Business {
	t.Helper()
	res, err := c.CreateBusiness(context.Background(), req(&travelv1.CreateBusinessRequest{OwnerUserId: owner, Fields: businessFields(fmt.Sprintf("Stays of %d", owner))}))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg.GetBusiness()
}

// createHomestay creates a homestay in the landlord's business, on shelf if asked.
func createHomestay(t *testing.T, c travelv1connect.TravelServiceClient, landlord int64, title string, onShelf bool) *travelv1.Homestay {
	t.Helper()
	ctx := context.Background()
	res, err := c.CreateHomestay(ctx, req(&travelv1.CreateHomestayRequest{LandlordUserId: landlord, Fields: homestayFields(title)}))
	if err != nil {
		t.Fatal(err)
	}
	h := res.Msg.GetHomestay()
	if onShelf {
		res, err := c.SetHomestayOnShelf(ctx, req(&travelv1.SetHomestayOnShelfRequest{Id: h.GetId(), LandlordUserId: landlord, OnShelf: true}))
		if err != nil {
			t.Fatal(err)
		}
		h = res.Msg.GetHomestay()
	}
	return h
}

func comment(t *testing.T, c travelv1connect.TravelServiceClient, homestay, user int64, star int32) *travelv1.Comment {
	t.Helper()
	res, err := c.CreateComment(context.Background(), req(&travelv1.CreateCommentRequest{HomestayId: homestay, UserId: user, Content: "Lovely stay", Star: star}))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg.GetComment()
}

func homestayIDs(hs []*travelv1.Homestay) []int64 {
	out := make([]int64, len(hs))
	for i, h := range hs {
		out[i] = h.GetId()
	}
	return out
}

func businessIDs(bs []*travelv1.Business) []int64 {
	out := make([]int64, len(bs))
	for i, b := range bs {
		out[i] = b.GetId()
	}
	return out
}
