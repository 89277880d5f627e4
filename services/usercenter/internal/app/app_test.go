package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/usercenter/internal/app"
	"github.com/looklook/looklook/services/usercenter/internal/lockout"
	"github.com/looklook/looklook/services/usercenter/internal/password"
	"github.com/looklook/looklook/services/usercenter/internal/store"
)

func TestLoginUpgradesHashesMadeWithOldParams(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	policy := lockout.Policy{MaxPerMobile: 5, MaxPerClient: 5, Window: time.Minute}
	oldParams := password.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	newParams := password.Params{MemoryKiB: 2048, Time: 1, Threads: 1}

	before, err := app.New(st, lockout.NewMemory(policy), oldParams, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	u, err := before.Register(ctx, "13800000001", "password123", "")
	if err != nil {
		t.Fatal(err)
	}

	after, err := app.New(st, lockout.NewMemory(policy), newParams, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := after.Login(ctx, "13800000001", "wrong-password", ""); !errors.Is(err, app.ErrBadCredentials) {
		t.Fatalf("wrong password error = %v", err)
	}
	_, hash, err := st.UserByMobile(ctx, "13800000001")
	if err != nil || !strings.Contains(hash, "m=1024,") {
		t.Fatalf("a failed login changed the hash: %q, %v", hash, err)
	}
	got, err := after.Login(ctx, "13800000001", "password123", "")
	if err != nil || got.ID != u.ID {
		t.Fatalf("login with an old hash = %+v, %v", got, err)
	}
	_, hash, err = st.UserByMobile(ctx, "13800000001")
	if err != nil || !strings.Contains(hash, "m=2048,") {
		t.Fatalf("hash after login = %q, %v; want it upgraded to m=2048", hash, err)
	}
	if _, err := after.Login(ctx, "13800000001", "password123", ""); err != nil {
		t.Fatalf("login with the upgraded hash: %v", err)
	}
	if _, err := app.New(st, lockout.NewMemory(policy), password.Params{}, testenv.Logger(t)); err == nil {
		t.Fatal("New accepted zero argon2 params")
	}
}
