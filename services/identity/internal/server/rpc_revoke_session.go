package server

import (
	"context"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// RevokeSession ends a session; revoking it again succeeds.
func (s *Server) RevokeSession(ctx context.Context, req *connect.Request[identityv1.RevokeSessionRequest]) (*connect.Response[identityv1.RevokeSessionResponse], error) {
	id, err := uuid.Parse(req.Msg.GetSessionId())
	if err != nil {
		// protovalidate has already checked the form; this guards handlers built without it.
		return nil, rpcerror.New(connect.CodeInvalidArgument, "session_id must be a UUID")
	}
	if err := s.svc.RevokeSession(ctx, id); err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&identityv1.RevokeSessionResponse{}), nil
}
