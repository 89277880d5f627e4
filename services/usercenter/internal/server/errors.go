package server

import (
	"connectrpc.com/connect"

	"github.com/looklook/looklook/platform/rpcerror"
	"github.com/looklook/looklook/services/usercenter/internal/app"
)

// publicError maps app's sentinels to Connect codes with public messages; anything else
// becomes Internal, its text kept for the request log only.
func publicError(err error) error {
	return rpcerror.Map(err,
		rpcerror.Rule{Err: app.ErrUserNotFound, Code: connect.CodeNotFound, Message: "user not found"},
		rpcerror.Rule{Err: app.ErrMobileTaken, Code: connect.CodeAlreadyExists, Message: "mobile number already registered"},
		rpcerror.Rule{Err: app.ErrBadCredentials, Code: connect.CodeUnauthenticated, Message: "incorrect mobile number or password"},
		rpcerror.Rule{Err: app.ErrTooManyAttempts, Code: connect.CodeResourceExhausted, Message: "too many failed sign-in attempts; try again later"},
		rpcerror.Rule{Err: app.ErrBlankNickname, Code: connect.CodeInvalidArgument, Message: "nickname must not be blank"},
	)
}
