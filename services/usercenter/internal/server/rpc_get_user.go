package server

import (
	"context"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

// GetUser returns one user; an unknown id is NotFound.
func (s *Server) GetUser(ctx context.Context, req *connect.Request[usercenterv1.GetUserRequest]) (*connect.Response[usercenterv1.GetUserResponse], error) {
	u, err := s.app.GetUser(ctx, req.Msg.GetId())
	if err != nil {
		return nil, publicError(err)
	}
	return connect.NewResponse(&usercenterv1.GetUserResponse{User: toProto(u)}), nil
}
