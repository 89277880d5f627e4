package account

import (
	"context"

	"connectrpc.com/connect"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// Register creates the user in usercenter, then starts a session in identity.
func (s *Server) Register(ctx context.Context, req *connect.Request[bffv1.RegisterRequest]) (*connect.Response[bffv1.RegisterResponse], error) {
	res, err := s.clients.Users.Register(ctx, connect.NewRequest(&usercenterv1.RegisterRequest{
		Mobile:   req.Msg.GetMobile(),
		Password: req.Msg.GetPassword(),
		Nickname: req.Msg.GetNickname(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	tokens, user, err := s.startSession(ctx, res.Msg.GetUser())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&bffv1.RegisterResponse{Tokens: tokens, User: user}), nil
}
