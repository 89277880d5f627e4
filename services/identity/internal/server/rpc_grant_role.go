package server

import (
	"context"

	"connectrpc.com/connect"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
)

// GrantRole adds a role to a user's live sessions.
func (s *Server) GrantRole(ctx context.Context, req *connect.Request[identityv1.GrantRoleRequest]) (*connect.Response[identityv1.GrantRoleResponse], error) {
	if err := s.svc.GrantRole(ctx, req.Msg.GetUserId(), req.Msg.GetRole()); err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&identityv1.GrantRoleResponse{}), nil
}
