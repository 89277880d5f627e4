package account

import (
	"context"

	"connectrpc.com/connect"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// Login checks the password in usercenter, which also rate-limits failures per mobile and per
// client address, then starts a session in identity.
func (s *Server) Login(ctx context.Context, req *connect.Request[bffv1.LoginRequest]) (*connect.Response[bffv1.LoginResponse], error) {
	res, err := s.clients.Users.Login(ctx, connect.NewRequest(&usercenterv1.LoginRequest{
		Mobile:        req.Msg.GetMobile(),
		Password:      req.Msg.GetPassword(),
		ClientAddress: s.clientAddress(req.Peer(), req.Header()),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	tokens, user, err := s.startSession(ctx, res.Msg.GetUser())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&bffv1.LoginResponse{Tokens: tokens, User: user}), nil
}
