package server_test

import (
	"context"
	"slices"
	"testing"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

func TestBatchGetUsers(t *testing.T) {
	t.Parallel()
	ps := serve(t, options{})
	a := register(t, ps[0].client, mobile(1), "password123", "a")
	b := register(t, ps[0].client, mobile(2), "password123", "b")
	register(t, ps[0].client, mobile(3), "password123", "c")
	unknown := b.GetId() + 1000
	tests := []struct {
		name string
		ids  []int64
		want []int64
	}{
		{"known, unknown and duplicates", []int64{b.GetId(), unknown, a.GetId(), b.GetId(), a.GetId()}, []int64{a.GetId(), b.GetId()}},
		{"only unknown", []int64{unknown}, nil},
		{"none", nil, nil},
	}
	for _, p := range ps {
		for _, tt := range tests {
			t.Run(p.name+"/"+tt.name, func(t *testing.T) {
				res, err := p.client.BatchGetUsers(context.Background(), connect.NewRequest(&usercenterv1.BatchGetUsersRequest{Ids: tt.ids}))
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, u := range res.Msg.GetUsers() {
					got = append(got, u.GetId())
					if u.GetMobile() == "" || u.GetNickname() == "" {
						t.Errorf("user %d is missing fields: %v", u.GetId(), u)
					}
				}
				slices.Sort(got)
				if !slices.Equal(got, tt.want) {
					t.Fatalf("ids = %v, want %v", got, tt.want)
				}
			})
		}
	}
}
