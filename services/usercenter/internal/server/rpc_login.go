package server

import (
	"context"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

// Login checks a password. client_address is the end user's address as the BFF saw it; the
// peer address here would be the BFF's own, so it is not used.
func (s *Server) Login(ctx context.Context, req *connect.Request[usercenterv1.LoginRequest]) (*connect.Response[usercenterv1.LoginResponse], error) {
	m := req.Msg
	u, err := s.app.Login(ctx, m.GetMobile(), m.GetPassword(), m.GetClientAddress())
	if err != nil {
		return nil, publicError(err)
	}
	return connect.NewResponse(&usercenterv1.LoginResponse{User: toProto(u)}), nil
}
