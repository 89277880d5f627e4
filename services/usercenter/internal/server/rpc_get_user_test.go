package server_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

func TestGetUser(t *testing.T) {
	t.Parallel()
	ps := serve(t, options{})
	want := register(t, ps[0].client, mobile(1), "password123", "alice")
	for _, p := range ps {
		t.Run(p.name, func(t *testing.T) {
			res, err := p.client.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: want.GetId()}))
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(res.Msg.GetUser(), want) {
				t.Fatalf("GetUser = %v, want %v", res.Msg.GetUser(), want)
			}
			_, err = p.client.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: want.GetId() + 1000}))
			wantError(t, err, connect.CodeNotFound, "user not found")
		})
	}
}
