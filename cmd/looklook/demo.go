package main

import (
	"context"
	"fmt"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/services/travel/demo"
)

// DemoPassword is every demo account's password (the admin's too); README lists the accounts.
const DemoPassword = "looklook-demo"

// ensureDemoUsers registers the demo admin, landlords and guests through usercenter's API, as
// any client would, and returns the landlords' and guests' ids for travel's demo catalogue.
// Accounts that exist already are signed in to learn their ids, so restarts are harmless.
func ensureDemoUsers(ctx context.Context, usercenterURL string) (demo.Users, error) {
	client := usercenterv1connect.NewUserServiceClient(rpcclient.NewHTTPClient(), usercenterURL)
	ensure := func(p demo.Person) (int64, error) {
		res, err := client.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: p.Mobile, Password: DemoPassword, Nickname: p.Nickname}))
		if err == nil {
			id := res.Msg.GetUser().GetId()
			if p.Info != "" {
				info := p.Info
				if _, err := client.UpdateUser(ctx, connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: id, Info: &info})); err != nil {
					return 0, fmt.Errorf("describe demo user %s: %w", p.Mobile, err)
				}
			}
			return id, nil
		}
		if connect.CodeOf(err) != connect.CodeAlreadyExists {
			return 0, fmt.Errorf("register demo user %s: %w", p.Mobile, err)
		}
		login, err := client.Login(ctx, connect.NewRequest(&usercenterv1.LoginRequest{Mobile: p.Mobile, Password: DemoPassword}))
		if err != nil {
			return 0, fmt.Errorf("sign in demo user %s: %w", p.Mobile, err)
		}
		return login.Msg.GetUser().GetId(), nil
	}
	var users demo.Users
	if _, err := ensure(demo.Person{Mobile: DemoAdminMobile, Nickname: "Admin"}); err != nil {
		return users, err
	}
	for _, p := range demo.Landlords() {
		id, err := ensure(p)
		if err != nil {
			return users, err
		}
		users.LandlordUserIDs = append(users.LandlordUserIDs, id)
	}
	for _, p := range demo.Guests() {
		id, err := ensure(p)
		if err != nil {
			return users, err
		}
		users.GuestUserIDs = append(users.GuestUserIDs, id)
	}
	return users, nil
}
