package server

import (
	"connectrpc.com/connect"

	"github.com/looklook/looklook/platform/rpcerror"
	"github.com/looklook/looklook/services/travel/internal/app"
)

// toConnect maps an error of internal/app to a Connect error. Each sentinel's text is written
// for clients and becomes the public message; anything else becomes Internal with a generic
// message, its cause kept for the request log.
func toConnect(err error) error {
	return rpcerror.Map(err,
		rpcerror.Rule{Err: app.ErrHomestayNotFound, Code: connect.CodeNotFound},
		rpcerror.Rule{Err: app.ErrBusinessNotFound, Code: connect.CodeNotFound},
		rpcerror.Rule{Err: app.ErrNotHomestayOwner, Code: connect.CodePermissionDenied},
		rpcerror.Rule{Err: app.ErrNotBusinessOwner, Code: connect.CodePermissionDenied},
		rpcerror.Rule{Err: app.ErrOwnHomestay, Code: connect.CodePermissionDenied},
		rpcerror.Rule{Err: app.ErrStaleHomestay, Code: connect.CodeAborted},
		rpcerror.Rule{Err: app.ErrStaleBusiness, Code: connect.CodeAborted},
		rpcerror.Rule{Err: app.ErrBusinessExists, Code: connect.CodeAlreadyExists},
		rpcerror.Rule{Err: app.ErrCommentExists, Code: connect.CodeAlreadyExists},
		rpcerror.Rule{Err: app.ErrNoBusiness, Code: connect.CodeFailedPrecondition},
		rpcerror.Rule{Err: app.ErrInvalidPageToken, Code: connect.CodeInvalidArgument},
		rpcerror.Rule{Err: app.ErrBlankContent, Code: connect.CodeInvalidArgument},
		rpcerror.Rule{Err: app.ErrInvalidArgument, Code: connect.CodeInvalidArgument},
	)
}
