package server

import (
	"context"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

// Register creates a user; a taken mobile number is AlreadyExists.
func (s *Server) Register(ctx context.Context, req *connect.Request[usercenterv1.RegisterRequest]) (*connect.Response[usercenterv1.RegisterResponse], error) {
	m := req.Msg
	u, err := s.app.Register(ctx, m.GetMobile(), m.GetPassword(), m.GetNickname())
	if err != nil {
		return nil, publicError(err)
	}
	return connect.NewResponse(&usercenterv1.RegisterResponse{User: toProto(u)}), nil
}
