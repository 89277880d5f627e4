package server

import (
	"context"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

// BatchGetUsers returns the users that exist among the ids, each once, in one query.
func (s *Server) BatchGetUsers(ctx context.Context, req *connect.Request[usercenterv1.BatchGetUsersRequest]) (*connect.Response[usercenterv1.BatchGetUsersResponse], error) {
	users, err := s.app.BatchGetUsers(ctx, req.Msg.GetIds())
	if err != nil {
		return nil, publicError(err)
	}
	out := make([]*usercenterv1.User, len(users))
	for i, u := range users {
		out[i] = toProto(u)
	}
	return connect.NewResponse(&usercenterv1.BatchGetUsersResponse{Users: out}), nil
}
