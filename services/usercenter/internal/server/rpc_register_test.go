package server_test

import (
	"context"
	"sync"
	"testing"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

func TestRegister(t *testing.T) {
	t.Parallel()
	for i, p := range serve(t, options{}) {
		t.Run(p.name, func(t *testing.T) {
			named := mobile(10 * i)
			u := register(t, p.client, named, "password123", "Alice 爱丽丝")
			if u.GetId() <= 0 || u.GetMobile() != named || u.GetNickname() != "Alice 爱丽丝" || u.GetVersion() != 1 ||
				u.GetSex() != usercenterv1.Sex_SEX_UNSPECIFIED || u.GetCreateTime() == nil || u.GetUpdateTime() == nil {
				t.Fatalf("registered user = %v", u)
			}
			got, err := p.client.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: u.GetId()}))
			if err != nil {
				t.Fatal(err)
			}
			if got.Msg.GetUser().GetNickname() != "Alice 爱丽丝" {
				t.Fatalf("stored nickname = %q: the reference system's lost-nickname bug is back", got.Msg.GetUser().GetNickname())
			}

			unnamed := register(t, p.client, "1391234"+named[7:], "password123", "")
			if want := "user" + named[7:]; unnamed.GetNickname() != want {
				t.Fatalf("default nickname = %q, want %q", unnamed.GetNickname(), want)
			}
			blank := register(t, p.client, "1371234"+named[7:], "password123", "   ")
			if want := "user" + named[7:]; blank.GetNickname() != want {
				t.Fatalf("nickname for blanks = %q, want %q", blank.GetNickname(), want)
			}
		})
	}
}

func TestRegisterTakenMobile(t *testing.T) {
	t.Parallel()
	ps := serve(t, options{})
	register(t, ps[0].client, mobile(1), "password123", "first")
	for _, p := range ps {
		t.Run(p.name, func(t *testing.T) {
			_, err := p.client.Register(context.Background(), connect.NewRequest(&usercenterv1.RegisterRequest{
				Mobile: mobile(1), Password: "another-password", Nickname: "second",
			}))
			wantError(t, err, connect.CodeAlreadyExists, "mobile number already registered")
		})
	}
}

func TestRegisterConcurrentlyWithOneMobile(t *testing.T) {
	t.Parallel()
	ps := serve(t, options{})
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = ps[i%2].client.Register(context.Background(), connect.NewRequest(&usercenterv1.RegisterRequest{
				Mobile: mobile(7), Password: "password123",
			}))
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantError(t, err, connect.CodeAlreadyExists, "mobile number already registered")
	}
	if ok != 1 {
		t.Fatalf("%d concurrent registrations succeeded, want exactly 1", ok)
	}
}
