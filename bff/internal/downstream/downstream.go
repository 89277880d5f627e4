// Package downstream holds the BFF's clients of the internal services.
package downstream

import (
	"context"
	"net/http"
	"time"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/gen/looklook/identity/v1/identityv1connect"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
)

// Clients are the internal services the BFF calls.
type Clients struct {
	Identity identityv1connect.IdentityServiceClient
	Users    usercenterv1connect.UserServiceClient
	Travel   travelv1connect.TravelServiceClient
}

// URLs are the base URLs of the internal services.
type URLs struct {
	Identity, UserCenter, Travel string
}

// New builds the clients. Every call gets its own deadline of at most callTimeout, inside the
// caller's, so one slow service cannot hold a BFF request for the whole server write timeout.
//
// The clients do not accept gzip (Connect clients do by default): services sit next to the BFF
// on loopback or the cluster network, where compressing and decompressing an answer costs more
// CPU than sending it whole. Measured on the detail page, internal gzip cost 30% of the
// throughput (docs/benchmarks.md).
func New(httpClient *http.Client, urls URLs, callTimeout time.Duration, extra ...connect.ClientOption) Clients {
	opts := append([]connect.ClientOption{
		connect.WithInterceptors(deadline(callTimeout)),
		connect.WithAcceptCompression("gzip", nil, nil),
	}, extra...)
	return Clients{
		Identity: identityv1connect.NewIdentityServiceClient(httpClient, urls.Identity, opts...),
		Users:    usercenterv1connect.NewUserServiceClient(httpClient, urls.UserCenter, opts...),
		Travel:   travelv1connect.NewTravelServiceClient(httpClient, urls.Travel, opts...),
	}
}

// deadline shortens a call's deadline to at most d from now.
func deadline(d time.Duration) connect.UnaryInterceptorFunc {
	return func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > d {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, d)
				defer cancel()
			}
			return next(ctx, req)
		}
	}
}
