package server

import (
	"connectrpc.com/connect"

	"github.com/looklook/looklook/platform/rpcerror"
	"github.com/looklook/looklook/services/identity/internal/app"
)

// toConnect converts an error from app into one safe to return to a client: app's sentinels get
// their Connect codes and public messages; anything else, storage errors included, becomes a
// generic Internal error whose cause only reaches the log.
func toConnect(err error) error {
	return rpcerror.Map(err,
		rpcerror.Rule{Err: app.ErrInvalidArgument, Code: connect.CodeInvalidArgument, Message: "invalid argument"},
		rpcerror.Rule{Err: app.ErrSessionNotFound, Code: connect.CodeNotFound},
		rpcerror.Rule{Err: app.ErrInvalidRefreshToken, Code: connect.CodeUnauthenticated},
		rpcerror.Rule{Err: app.ErrRefreshTokenExpired, Code: connect.CodeUnauthenticated},
		rpcerror.Rule{Err: app.ErrRefreshTokenReused, Code: connect.CodeUnauthenticated},
		rpcerror.Rule{Err: app.ErrSessionRevoked, Code: connect.CodeUnauthenticated},
		rpcerror.Rule{Err: app.ErrAccessTokenExpired, Code: connect.CodeUnauthenticated},
		rpcerror.Rule{Err: app.ErrInvalidAccessToken, Code: connect.CodeUnauthenticated},
	)
}
