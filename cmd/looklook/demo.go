package main

import (
	"context"

	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/services/travel/demo"
)

// DemoAdminMobile is the demo admin's mobile number; README lists the demo accounts.
const DemoAdminMobile = demo.AdminMobile

// DemoPassword is every demo account's password.
const DemoPassword = demo.Password

// ensureDemoUsers registers the demo accounts in usercenter and returns the ids travel's demo
// catalogue belongs to.
func ensureDemoUsers(ctx context.Context, usercenterURL string) (demo.Users, error) {
	return demo.RegisterUsers(ctx, usercenterv1connect.NewUserServiceClient(rpcclient.NewHTTPClient(), usercenterURL))
}
