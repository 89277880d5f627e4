package server_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
)

func TestInvalidRequests(t *testing.T) {
	t.Parallel()
	ps := serve(t, options{})
	u := register(t, ps[0].client, mobile(1), "password123", "alice")
	ctx := context.Background()
	ids := func(n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i + 1)
		}
		return out
	}
	tests := []struct {
		name string
		call func(c usercenterv1connect.UserServiceClient) error
	}{
		{"Register with a short mobile number", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: "123", Password: "password123"}))
			return err
		}},
		{"Register with a mobile number that does not start 13-19", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: "12800000001", Password: "password123"}))
			return err
		}},
		{"Register with a one-character password", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: mobile(2), Password: "x"}))
			return err
		}},
		{"Register with a 73-character password", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: mobile(2), Password: strings.Repeat("x", 73)}))
			return err
		}},
		{"Register with a 10 kB nickname", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: mobile(2), Password: "password123", Nickname: strings.Repeat("n", 10<<10)}))
			return err
		}},
		{"Login with a short mobile number", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.Login(ctx, connect.NewRequest(&usercenterv1.LoginRequest{Mobile: "123", Password: "password123"}))
			return err
		}},
		{"Login with an empty password", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.Login(ctx, connect.NewRequest(&usercenterv1.LoginRequest{Mobile: mobile(1)}))
			return err
		}},
		{"Login with a 200-character client address", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.Login(ctx, connect.NewRequest(&usercenterv1.LoginRequest{Mobile: mobile(1), Password: "password123", ClientAddress: strings.Repeat("1", 200)}))
			return err
		}},
		{"GetUser with id 0", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.GetUser(ctx, connect.NewRequest(&usercenterv1.GetUserRequest{}))
			return err
		}},
		{"BatchGetUsers with 101 ids", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.BatchGetUsers(ctx, connect.NewRequest(&usercenterv1.BatchGetUsersRequest{Ids: ids(101)}))
			return err
		}},
		{"BatchGetUsers with a negative id", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.BatchGetUsers(ctx, connect.NewRequest(&usercenterv1.BatchGetUsersRequest{Ids: []int64{1, -1}}))
			return err
		}},
		{"UpdateUser with an empty nickname", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.UpdateUser(ctx, connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: u.GetId(), Nickname: proto.String("")}))
			return err
		}},
		{"UpdateUser with a blank nickname", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.UpdateUser(ctx, connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: u.GetId(), Nickname: proto.String("   ")}))
			return err
		}},
		{"UpdateUser with a 33-character nickname", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.UpdateUser(ctx, connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: u.GetId(), Nickname: proto.String(strings.Repeat("好", 33))}))
			return err
		}},
		{"UpdateUser with a javascript: avatar", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.UpdateUser(ctx, connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: u.GetId(), Avatar: proto.String("javascript:alert(1)")}))
			return err
		}},
		{"UpdateUser with 501 characters of info", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.UpdateUser(ctx, connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: u.GetId(), Info: proto.String(strings.Repeat("i", 501))}))
			return err
		}},
		{"UpdateUser with an undefined sex", func(c usercenterv1connect.UserServiceClient) error {
			_, err := c.UpdateUser(ctx, connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: u.GetId(), Sex: usercenterv1.Sex(7).Enum()}))
			return err
		}},
	}
	for _, p := range ps {
		for _, tt := range tests {
			t.Run(p.name+"/"+tt.name, func(t *testing.T) {
				wantError(t, tt.call(p.client), connect.CodeInvalidArgument, "")
			})
		}
	}
	// None of the rejected calls changed the user.
	got, err := ps[0].client.GetUser(ctx, connect.NewRequest(&usercenterv1.GetUserRequest{Id: u.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(got.Msg.GetUser(), u) {
		t.Fatalf("user changed by rejected calls: %v → %v", u, got.Msg.GetUser())
	}
}
