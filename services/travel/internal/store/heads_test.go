package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/ent/activity"
	"github.com/looklook/looklook/services/travel/internal/app"
	"github.com/looklook/looklook/services/travel/internal/store"
)

// TestCommentHeadFollowsWrites reads a homestay's first page of comments from the cached head on
// two instances sharing the database and Redis: a new comment shows at once on the writer and,
// within pub/sub latency, on the other; pages served by the head equal the query's pages.
func TestCommentHeadFollowsWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.PostgresURL(t)
	rdb, prefix := testenv.Redis(t)
	client := openClient(t, url)
	a := newStore(t, client, rdb, prefix)
	b := newStore(t, openClient(t, url), rdb, prefix)
	h := seedHomestay(t, a, 1, true)

	for _, st := range []*store.Store{a, b} {
		if cs, err := st.Comments(ctx, h.ID, 0, 11); err != nil || len(cs) != 0 {
			t.Fatalf("head of a homestay without comments = %v, %v", cs, err)
		}
	}
	first, err := a.CreateComment(ctx, app.Comment{HomestayID: h.ID, UserID: 100, Content: "first", Star: 4}, accept)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := a.Comments(ctx, h.ID, 0, 11)
	if err != nil || !slices.Equal(commentIDs(cs), []int64{first.ID}) {
		t.Fatalf("writer's head after a comment = %v, %v", commentIDs(cs), err)
	}
	if cs[0].Content != "first" || cs[0].Star != 4 || cs[0].UserID != 100 || !cs[0].CreateTime.Equal(first.CreateTime) {
		t.Fatalf("cached comment = %+v, want %+v", cs[0], *first)
	}
	waitFor(t, func() bool {
		cs, err := b.Comments(ctx, h.ID, 0, 11)
		return err == nil && slices.Equal(commentIDs(cs), []int64{first.ID})
	})

	// 30 comments in all, more than the head holds: every page size and cursor gives what a
	// fresh store (no cache at all) reads from the database.
	for u := range 29 {
		if _, err := b.CreateComment(ctx, app.Comment{HomestayID: h.ID, UserID: int64(200 + u), Content: fmt.Sprint("c", u), Star: 5}, accept); err != nil {
			t.Fatal(err)
		}
	}
	plain, err := store.New(ctx, client, store.Options{L1MaxItems: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	for _, limit := range []int{1, 11, 21, 22, 31} {
		want, err := plain.Comments(ctx, h.ID, 0, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != min(limit, 30) {
			t.Fatalf("database page of %d = %d comments", limit, len(want))
		}
		waitFor(t, func() bool {
			for _, st := range []*store.Store{a, b} {
				got, err := st.Comments(ctx, h.ID, 0, limit)
				if err != nil || !slices.Equal(commentIDs(got), commentIDs(want)) {
					return false
				}
			}
			return true
		})
		next, err := a.Comments(ctx, h.ID, want[len(want)-1].ID, 5)
		wantNext, _ := plain.Comments(ctx, h.ID, want[len(want)-1].ID, 5)
		if err != nil || !slices.Equal(commentIDs(next), commentIDs(wantNext)) {
			t.Fatalf("page after %d comments = %v, %v; want %v", limit, commentIDs(next), err, commentIDs(wantNext))
		}
	}
}

// TestPreferredHeadFollowsWrites serves the first pages of the preferred list from its cached
// head on two instances, and checks that every write that changes the list shows: an entry set
// or disabled, and a listed homestay going off and back on shelf.
func TestPreferredHeadFollowsWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.PostgresURL(t)
	rdb, prefix := testenv.Redis(t)
	a := newStore(t, openClient(t, url), rdb, prefix)
	b := newStore(t, openClient(t, url), rdb, prefix)
	var ids []int64
	for range 3 {
		ids = append(ids, seedHomestay(t, a, 1, true).ID)
	}
	// expect waits until both instances list want (data ids) as the first page of 20 and of 2.
	expect := func(what string, want []int64) {
		t.Helper()
		ok := func(st *store.Store, limit int) bool {
			es, err := st.PreferredEntries(ctx, nil, limit)
			return err == nil && slices.Equal(dataIDs(es), want[:min(limit, len(want))])
		}
		if !ok(a, 20) || !ok(a, 2) {
			es, err := a.PreferredEntries(ctx, nil, 20)
			t.Fatalf("%s: the writer lists %v, %v; want %v at once", what, dataIDs(es), err, want)
		}
		waitFor(t, func() bool { return ok(b, 20) && ok(b, 2) })
	}
	set := func(id int64, enabled bool, order int32) {
		t.Helper()
		if _, err := a.SetActivity(ctx, app.Activity{Kind: app.ActivityPreferredHomestay, DataID: id, Enabled: enabled, SortOrder: order}); err != nil {
			t.Fatal(err)
		}
	}
	shelf := func(id int64, on bool) {
		t.Helper()
		if _, err := a.UpdateHomestay(ctx, id, func(h *app.Homestay) error { h.OnShelf = on; return nil }); err != nil {
			t.Fatal(err)
		}
	}

	expect("empty list", nil)
	set(ids[0], true, 1)
	expect("one entry", []int64{ids[0]})
	set(ids[1], true, 5)
	set(ids[2], true, 3)
	expect("three entries", []int64{ids[1], ids[2], ids[0]})
	set(ids[2], true, 9)
	expect("reordered", []int64{ids[2], ids[1], ids[0]})
	shelf(ids[1], false)
	expect("a listed homestay off shelf", []int64{ids[2], ids[0]})
	shelf(ids[1], true)
	expect("back on shelf", []int64{ids[2], ids[1], ids[0]})
	set(ids[2], false, 9)
	expect("an entry disabled", []int64{ids[1], ids[0]})

	// A good-boss entry is another list and leaves this one alone.
	if _, err := a.SetActivity(ctx, app.Activity{Kind: app.ActivityGoodBoss, DataID: mustBusinessID(t, a, 1), Enabled: true}); err != nil {
		t.Fatal(err)
	}
	expect("after a good-boss entry", []int64{ids[1], ids[0]})

	// Later pages run the keyset query after the cached first page.
	first, _ := a.PreferredEntries(ctx, nil, 1)
	rest, err := a.PreferredEntries(ctx, &app.ActivityKey{SortOrder: first[0].SortOrder, ID: first[0].ID}, 20)
	if err != nil || !slices.Equal(dataIDs(rest), []int64{ids[0]}) {
		t.Fatalf("second page = %v, %v", dataIDs(rest), err)
	}
}

// TestInvalidateDropsListHeads writes around the store, as the demo seeder does, and checks
// that Invalidate makes the new comments and entries visible.
func TestInvalidateDropsListHeads(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ string, client *ent.Client, st *store.Store) {
		ctx := context.Background()
		h := seedHomestay(t, st, 1, true)
		if cs, _ := st.Comments(ctx, h.ID, 0, 10); len(cs) != 0 {
			t.Fatalf("comments = %v", cs)
		}
		if es, _ := st.PreferredEntries(ctx, nil, 10); len(es) != 0 {
			t.Fatalf("entries = %v", es)
		}
		c := client.Comment.Create().SetHomestayID(h.ID).SetUserID(7).SetContent("around").SetStar(3).SaveX(ctx)
		client.Activity.Create().SetKind(activity.KindPreferredHomestay).SetDataID(h.ID).SetEnabled(true).SetSortOrder(1).ExecX(ctx)
		st.Invalidate(ctx, []int64{h.ID}, nil)
		if cs, err := st.Comments(ctx, h.ID, 0, 10); err != nil || !slices.Equal(commentIDs(cs), []int64{c.ID}) {
			t.Fatalf("comments after Invalidate = %v, %v", commentIDs(cs), err)
		}
		if es, err := st.PreferredEntries(ctx, nil, 10); err != nil || !slices.Equal(dataIDs(es), []int64{h.ID}) {
			t.Fatalf("entries after Invalidate = %v, %v", dataIDs(es), err)
		}
	})
}
