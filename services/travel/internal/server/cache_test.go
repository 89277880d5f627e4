package server_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	"github.com/looklook/looklook/platform/testenv"
)

// TestReadYourWrites reads rows into the Redis-backed cache, changes them and reads them back
// through the same instance: every read after a write shows it, at once.
func TestReadYourWrites(t *testing.T) {
	t.Parallel()
	rdb, prefix := testenv.Redis(t)
	c := start(t, testenv.PostgresURL(t), rdb, prefix).client
	ctx := context.Background()
	const landlord = 10
	biz := createBusiness(t, c, landlord)
	h := createHomestay(t, c, landlord, "Before", true)

	get := func() *travelv1.Homestay {
		res, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId(), ViewerUserId: landlord}))
		if err != nil {
			t.Fatal(err)
		}
		return res.Msg.GetHomestay()
	}
	getBiz := func() *travelv1.Business {
		res, err := c.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: biz.GetId()}))
		if err != nil {
			t.Fatal(err)
		}
		return res.Msg.GetBusiness()
	}
	get()
	getBiz()

	f := homestayFields("After")
	up, err := c.UpdateHomestay(ctx, req(&travelv1.UpdateHomestayRequest{Id: h.GetId(), LandlordUserId: landlord, Version: h.GetVersion(), Fields: f}))
	if err != nil {
		t.Fatal(err)
	}
	if got := get(); got.GetFields().GetTitle() != "After" || got.GetVersion() != up.Msg.GetHomestay().GetVersion() {
		t.Fatalf("after update: %v", got)
	}
	batch, err := c.BatchGetHomestays(ctx, req(&travelv1.BatchGetHomestaysRequest{Ids: []int64{h.GetId()}}))
	if err != nil || batch.Msg.GetHomestays()[0].GetFields().GetTitle() != "After" {
		t.Fatalf("batch after update: %v, %v", batch, err)
	}

	comment(t, c, h.GetId(), 50, 5)
	if got := get(); got.GetRating().GetCount() != 1 {
		t.Fatalf("homestay rating after comment: %v", got.GetRating())
	}
	if got := getBiz(); got.GetRating().GetCount() != 1 || got.GetHomestayCount() != 1 {
		t.Fatalf("business after comment: %v", got)
	}

	if _, err := c.SetHomestayOnShelf(ctx, req(&travelv1.SetHomestayOnShelfRequest{Id: h.GetId(), LandlordUserId: landlord})); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId()})); err == nil {
		t.Fatal("public read after shelving off still sees the homestay")
	}
	if got := getBiz(); got.GetHomestayCount() != 0 {
		t.Fatalf("business homestay count after shelving off = %d", got.GetHomestayCount())
	}

	bf := businessFields("Renamed")
	if _, err := c.UpdateBusiness(ctx, req(&travelv1.UpdateBusinessRequest{Id: biz.GetId(), OwnerUserId: landlord, Version: getBiz().GetVersion(), Fields: bf})); err != nil {
		t.Fatal(err)
	}
	if got := getBiz(); got.GetFields().GetTitle() != "Renamed" {
		t.Fatalf("business after update: %v", got)
	}
	bb, err := c.BatchGetBusinesses(ctx, req(&travelv1.BatchGetBusinessesRequest{Ids: []int64{biz.GetId()}}))
	if err != nil || bb.Msg.GetBusinesses()[0].GetFields().GetTitle() != "Renamed" {
		t.Fatalf("batch business after update: %v, %v", bb, err)
	}
}

// TestTwoInstances runs two services on one database and one Redis: a write through one is
// served by the other within a second (the invalidation travels over Redis pub/sub).
func TestTwoInstances(t *testing.T) {
	t.Parallel()
	url := testenv.PostgresURL(t)
	rdb, prefix := testenv.Redis(t)
	a := start(t, url, rdb, prefix).client
	b := start(t, url, rdb, prefix).client
	ctx := context.Background()
	const landlord = 10
	biz := createBusiness(t, a, landlord)
	h := createHomestay(t, a, landlord, "Before", true)

	// Warm b's in-process cache.
	for range 2 {
		if _, err := b.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId()})); err != nil {
			t.Fatal(err)
		}
		if _, err := b.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: biz.GetId()})); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.UpdateHomestay(ctx, req(&travelv1.UpdateHomestayRequest{Id: h.GetId(), LandlordUserId: landlord, Version: h.GetVersion(), Fields: homestayFields("After")})); err != nil {
		t.Fatal(err)
	}
	eventually(t, b, func(c travelv1connect.TravelServiceClient) bool {
		res, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId()}))
		return err == nil && res.Msg.GetHomestay().GetFields().GetTitle() == "After"
	})

	comment(t, a, h.GetId(), 50, 3)
	eventually(t, b, func(c travelv1connect.TravelServiceClient) bool {
		res, err := c.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: biz.GetId()}))
		return err == nil && res.Msg.GetBusiness().GetRating().GetCount() == 1
	})

	if _, err := a.SetHomestayOnShelf(ctx, req(&travelv1.SetHomestayOnShelfRequest{Id: h.GetId(), LandlordUserId: landlord})); err != nil {
		t.Fatal(err)
	}
	eventually(t, b, func(c travelv1connect.TravelServiceClient) bool {
		_, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: h.GetId()}))
		return err != nil
	})
}

// eventually polls cond against c until it holds, failing after one second.
func eventually(t *testing.T, c travelv1connect.TravelServiceClient, cond func(travelv1connect.TravelServiceClient) bool) {
	t.Helper()
	testenv.Eventually(t, time.Second, "the other instance serves the write", func() error {
		if cond(c) {
			return nil
		}
		return errors.New("it still serves the old value")
	})
}

// TestConcurrentCommentsKeepRatings has many users review two homestays of one business at once
// through the API; the ratings count every comment exactly once.
func TestConcurrentCommentsKeepRatings(t *testing.T) {
	t.Parallel()
	rdb, prefix := testenv.Redis(t)
	c := start(t, testenv.PostgresURL(t), rdb, prefix).client
	ctx := context.Background()
	const landlord, users = 10, 20
	biz := createBusiness(t, c, landlord)
	h1 := createHomestay(t, c, landlord, "One", true)
	h2 := createHomestay(t, c, landlord, "Two", true)
	var wg sync.WaitGroup
	errs := make(chan error, 2*users)
	for u := range int64(users) {
		for _, h := range []int64{h1.GetId(), h2.GetId()} {
			wg.Go(func() {
				_, err := c.CreateComment(ctx, req(&travelv1.CreateCommentRequest{HomestayId: h, UserId: 1000 + u, Content: "ok", Star: int32(1 + u%5)}))
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var sum int64
	for u := range int64(users) {
		sum += 1 + u%5
	}
	for _, id := range []int64{h1.GetId(), h2.GetId()} {
		res, err := c.GetHomestay(ctx, req(&travelv1.GetHomestayRequest{Id: id}))
		if err != nil {
			t.Fatal(err)
		}
		if r := res.Msg.GetHomestay().GetRating(); r.GetCount() != users || r.GetAverage() != float64(sum)/users {
			t.Fatalf("homestay %d rating = %v, want %d comments averaging %v", id, r, users, float64(sum)/users)
		}
	}
	res, err := c.GetBusiness(ctx, req(&travelv1.GetBusinessRequest{Id: biz.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Msg.GetBusiness().GetRating(); r.GetCount() != 2*users || r.GetAverage() != float64(sum)/users {
		t.Fatalf("business rating = %v", r)
	}
	// The comment list agrees with the counters.
	total := 0
	token := ""
	for {
		page, err := c.ListComments(ctx, req(&travelv1.ListCommentsRequest{HomestayId: h1.GetId(), PageSize: 7, PageToken: token}))
		if err != nil {
			t.Fatal(err)
		}
		total += len(page.Msg.GetComments())
		if token = page.Msg.GetNextPageToken(); token == "" {
			break
		}
	}
	if total != users {
		t.Fatalf("listed %d comments, want %d", total, users)
	}
}
