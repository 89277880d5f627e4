package account

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
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
	user := res.Msg.GetUser()
	roles := s.roles(ctx, user)
	tokens, err := s.clients.Identity.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: user.GetId(), Roles: roles}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.RegisterResponse{
		Tokens: convert.Tokens(tokens.Msg.GetTokens()),
		User:   convert.User(user, roles),
	}), nil
}
