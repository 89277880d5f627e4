package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/usercenter/ent"
	"github.com/looklook/looklook/services/usercenter/internal/app"
	"github.com/looklook/looklook/services/usercenter/internal/store"
)

// forEachBackend runs the test against a fresh store on PostgreSQL and on SQLite.
func forEachBackend(t *testing.T, test func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, b := range testenv.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			s, err := store.Open(context.Background(), b.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			test(t, s)
		})
	}
}

func create(t *testing.T, s *store.Store, mobile string) app.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), app.NewUser{Mobile: mobile, PasswordHash: "$argon2id$x", Nickname: "nick" + mobile})
	if err != nil {
		t.Fatalf("create %s: %v", mobile, err)
	}
	return u
}

func TestCreateAndGet(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := create(t, s, "13800000001")
		if u.ID <= 0 || u.Mobile != "13800000001" || u.Nickname != "nick13800000001" || u.Version != 1 ||
			u.Sex != app.SexUnspecified || u.CreateTime.IsZero() || u.UpdateTime.IsZero() {
			t.Fatalf("created user = %+v", u)
		}
		got, err := s.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.Nickname != u.Nickname || !got.CreateTime.Equal(u.CreateTime) || !got.UpdateTime.Equal(u.UpdateTime) {
			t.Fatalf("GetUser = %+v, want %+v", got, u)
		}
		byMobile, hash, err := s.UserByMobile(ctx, "13800000001")
		if err != nil || byMobile.ID != u.ID || hash != "$argon2id$x" {
			t.Fatalf("UserByMobile = %+v, %q, %v", byMobile, hash, err)
		}
		second := create(t, s, "13800000002")
		if second.ID <= u.ID {
			t.Fatalf("second id %d not after first %d", second.ID, u.ID)
		}
	})
}

func TestUnknownUserIsNotFound(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := s.GetUser(ctx, 42); !errors.Is(err, app.ErrUserNotFound) {
			t.Errorf("GetUser(42) error = %v, want ErrUserNotFound", err)
		}
		if _, _, err := s.UserByMobile(ctx, "13800000001"); !errors.Is(err, app.ErrUserNotFound) {
			t.Errorf("UserByMobile error = %v, want ErrUserNotFound", err)
		}
		nick := "x"
		if _, err := s.UpdateUser(ctx, 42, app.UserPatch{Nickname: &nick}); !errors.Is(err, app.ErrUserNotFound) {
			t.Errorf("UpdateUser(42) error = %v, want ErrUserNotFound", err)
		}
		if err := s.SetPasswordHash(ctx, 42, "h"); !errors.Is(err, app.ErrUserNotFound) {
			t.Errorf("SetPasswordHash(42) error = %v, want ErrUserNotFound", err)
		}
	})
}

func TestDuplicateMobileIsTaken(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		create(t, s, "13800000001")
		_, err := s.CreateUser(context.Background(), app.NewUser{Mobile: "13800000001", PasswordHash: "h", Nickname: "n"})
		if !errors.Is(err, app.ErrMobileTaken) {
			t.Fatalf("error = %v, want ErrMobileTaken", err)
		}
	})
}

func TestConcurrentRegistrationsOfOneMobile(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, errs[i] = s.CreateUser(context.Background(), app.NewUser{Mobile: "13800000001", PasswordHash: "h", Nickname: fmt.Sprint(i)})
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, app.ErrMobileTaken):
				t.Errorf("unexpected error %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d registrations succeeded, want exactly 1", ok)
		}
	})
}

func TestGetUsers(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		a := create(t, s, "13800000001")
		b := create(t, s, "13800000002")
		create(t, s, "13800000003")
		got, err := s.GetUsers(context.Background(), []int64{b.ID, 9999, a.ID, b.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID {
			t.Fatalf("GetUsers = %+v, want users %d and %d once each", got, a.ID, b.ID)
		}
		none, err := s.GetUsers(context.Background(), nil)
		if err != nil || len(none) != 0 {
			t.Fatalf("GetUsers(nil) = %v, %v", none, err)
		}
	})
}

func TestUpdateUserSetsOnlyGivenFieldsAndBumpsVersion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := create(t, s, "13800000001")
		avatar, sex := "https://example.com/a.png", app.SexFemale
		got, err := s.UpdateUser(ctx, u.ID, app.UserPatch{Avatar: &avatar, Sex: &sex})
		if err != nil {
			t.Fatal(err)
		}
		if got.Avatar != avatar || got.Sex != sex || got.Nickname != u.Nickname || got.Info != "" || got.Version != 2 || got.Mobile != u.Mobile {
			t.Fatalf("after update = %+v", got)
		}
		if got.UpdateTime.Before(u.UpdateTime) {
			t.Fatalf("update_time went back: %v < %v", got.UpdateTime, u.UpdateTime)
		}
		info := "hello"
		got, err = s.UpdateUser(ctx, u.ID, app.UserPatch{Info: &info})
		if err != nil {
			t.Fatal(err)
		}
		if got.Info != info || got.Avatar != avatar || got.Version != 3 {
			t.Fatalf("after second update = %+v", got)
		}
		read, err := s.GetUser(ctx, u.ID)
		if err != nil || read.Version != 3 || read.Info != info {
			t.Fatalf("GetUser after updates = %+v, %v", read, err)
		}
	})
}

func TestConcurrentUpdatesEachBumpTheVersion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := create(t, s, "13800000001")
		const n = 6
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				info := fmt.Sprint(i)
				if _, err := s.UpdateUser(ctx, u.ID, app.UserPatch{Info: &info}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, err := s.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 1+n {
			t.Fatalf("version = %d after %d updates, want %d", got.Version, n, 1+n)
		}
	})
}

func TestSetPasswordHash(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := create(t, s, "13800000001")
		if err := s.SetPasswordHash(ctx, u.ID, "new-hash"); err != nil {
			t.Fatal(err)
		}
		got, hash, err := s.UserByMobile(ctx, u.Mobile)
		if err != nil || hash != "new-hash" || got.Version != u.Version {
			t.Fatalf("after SetPasswordHash: %+v, %q, %v", got, hash, err)
		}
	})
}

func TestWithTxRollsBack(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := create(t, s, "13800000001")
		boom := errors.New("boom")
		err := s.WithTx(ctx, func(tx *ent.Tx) error {
			if err := tx.User.UpdateOneID(u.ID).SetNickname("changed").Exec(ctx); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("WithTx error = %v, want boom", err)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Error("WithTx swallowed a panic")
				}
			}()
			_ = s.WithTx(ctx, func(tx *ent.Tx) error {
				if err := tx.User.UpdateOneID(u.ID).SetNickname("changed").Exec(ctx); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		got, err := s.GetUser(ctx, u.ID)
		if err != nil || got.Nickname != u.Nickname {
			t.Fatalf("after rolled-back transactions: %+v, %v", got, err)
		}
	})
}
