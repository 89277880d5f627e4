package server_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

func TestUpdateUser(t *testing.T) {
	t.Parallel()
	for i, p := range serve(t, options{}) {
		t.Run(p.name, func(t *testing.T) {
			ctx := context.Background()
			orig := register(t, p.client, mobile(i), "password123", "alice")
			update := func(req *usercenterv1.UpdateUserRequest) *usercenterv1.User {
				t.Helper()
				req.Id = orig.GetId()
				res, err := p.client.UpdateUser(ctx, connect.NewRequest(req))
				if err != nil {
					t.Fatal(err)
				}
				return res.Msg.GetUser()
			}

			u := update(&usercenterv1.UpdateUserRequest{
				Avatar: proto.String("https://example.com/a.png"),
				Sex:    usercenterv1.Sex_SEX_FEMALE.Enum(),
			})
			if u.GetNickname() != "alice" || u.GetAvatar() != "https://example.com/a.png" || u.GetSex() != usercenterv1.Sex_SEX_FEMALE ||
				u.GetInfo() != "" || u.GetMobile() != orig.GetMobile() || u.GetVersion() != 2 {
				t.Fatalf("after first update = %v", u)
			}
			if u.GetUpdateTime().AsTime().Before(orig.GetUpdateTime().AsTime()) || !proto.Equal(u.GetCreateTime(), orig.GetCreateTime()) {
				t.Fatalf("times after update: create %v→%v, update %v→%v", orig.GetCreateTime(), u.GetCreateTime(), orig.GetUpdateTime(), u.GetUpdateTime())
			}

			u = update(&usercenterv1.UpdateUserRequest{Nickname: proto.String("  Bob  "), Info: proto.String("hi"), Avatar: proto.String("")})
			if u.GetNickname() != "Bob" || u.GetInfo() != "hi" || u.GetAvatar() != "" || u.GetSex() != usercenterv1.Sex_SEX_FEMALE || u.GetVersion() != 3 {
				t.Fatalf("after second update = %v", u)
			}

			// Setting nothing changes nothing, version included.
			same := update(&usercenterv1.UpdateUserRequest{})
			if !proto.Equal(same, u) {
				t.Fatalf("empty update changed the user: %v → %v", u, same)
			}

			got, err := p.client.GetUser(ctx, connect.NewRequest(&usercenterv1.GetUserRequest{Id: orig.GetId()}))
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(got.Msg.GetUser(), u) {
				t.Fatalf("GetUser after updates = %v, want %v", got.Msg.GetUser(), u)
			}
		})
	}
}

func TestUpdateUnknownUser(t *testing.T) {
	t.Parallel()
	for _, p := range serve(t, options{}) {
		t.Run(p.name, func(t *testing.T) {
			_, err := p.client.UpdateUser(context.Background(), connect.NewRequest(&usercenterv1.UpdateUserRequest{
				Id: 4242, Nickname: proto.String("ghost"),
			}))
			wantError(t, err, connect.CodeNotFound, "user not found")
			_, err = p.client.UpdateUser(context.Background(), connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: 4242}))
			wantError(t, err, connect.CodeNotFound, "user not found")
		})
	}
}
