package demo

import (
	"context"
	"fmt"
	"time"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
)

// AdminMobile is the demo admin's mobile number. Deployments that want the demo admin list it in
// the BFF's LOOKLOOK_ADMIN_MOBILES (the launcher does by default).
const AdminMobile = "13800000000"

// Password is every demo account's password.
const Password = "looklook-demo"

// RegisterUsers registers the demo admin, Landlords() and Guests() through usercenter's API, as
// any client would, and returns the landlords' and guests' ids for Seed. Accounts that exist
// already are signed in to learn their ids, so it is safe to run on every start. It retries
// while usercenter is not answering yet, until ctx is done.
func RegisterUsers(ctx context.Context, users usercenterv1connect.UserServiceClient) (Users, error) {
	ensure := func(p Person) (int64, error) {
		for backoff := 100 * time.Millisecond; ; backoff = min(backoff*2, 2*time.Second) {
			res, err := users.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{Mobile: p.Mobile, Password: Password, Nickname: p.Nickname}))
			switch {
			case err == nil:
				id := res.Msg.GetUser().GetId()
				if p.Info != "" {
					info := p.Info
					if _, err := users.UpdateUser(ctx, connect.NewRequest(&usercenterv1.UpdateUserRequest{Id: id, Info: &info})); err != nil {
						return 0, fmt.Errorf("describe demo user %s: %w", p.Mobile, err)
					}
				}
				return id, nil
			case connect.CodeOf(err) == connect.CodeAlreadyExists:
				login, err := users.Login(ctx, connect.NewRequest(&usercenterv1.LoginRequest{Mobile: p.Mobile, Password: Password}))
				if err != nil {
					return 0, fmt.Errorf("sign in demo user %s: %w", p.Mobile, err)
				}
				return login.Msg.GetUser().GetId(), nil
			case connect.CodeOf(err) != connect.CodeUnavailable:
				return 0, fmt.Errorf("register demo user %s: %w", p.Mobile, err)
			}
			select {
			case <-ctx.Done():
				return 0, fmt.Errorf("register demo user %s: %w", p.Mobile, err)
			case <-time.After(backoff):
			}
		}
	}
	var out Users
	if _, err := ensure(Person{Mobile: AdminMobile, Nickname: "Admin", Info: "Curates the preferred homestays and good bosses."}); err != nil {
		return out, err
	}
	for _, p := range Landlords() {
		id, err := ensure(p)
		if err != nil {
			return out, err
		}
		out.LandlordUserIDs = append(out.LandlordUserIDs, id)
	}
	for _, p := range Guests() {
		id, err := ensure(p)
		if err != nil {
			return out, err
		}
		out.GuestUserIDs = append(out.GuestUserIDs, id)
	}
	return out, nil
}
