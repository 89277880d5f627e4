package server

import (
	"context"

	"connectrpc.com/connect"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
)

// ListRevocations returns revocations after a cursor, oldest first.
func (s *Server) ListRevocations(ctx context.Context, req *connect.Request[identityv1.ListRevocationsRequest]) (*connect.Response[identityv1.ListRevocationsResponse], error) {
	revs, next, err := s.svc.ListRevocations(ctx, req.Msg.GetAfterCursor(), int(req.Msg.GetPageSize()))
	if err != nil {
		return nil, toConnect(err)
	}
	out := &identityv1.ListRevocationsResponse{
		Revocations: make([]*identityv1.Revocation, len(revs)),
		NextCursor:  next,
	}
	for i, r := range revs {
		out.Revocations[i] = &identityv1.Revocation{SessionId: r.SessionID.String(), RevokeTime: timestamp(r.RevokeTime)}
	}
	return connect.NewResponse(out), nil
}
