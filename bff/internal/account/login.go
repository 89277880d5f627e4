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
	user := res.Msg.GetUser()
	roles := s.roles(ctx, user)
	tokens, err := s.clients.Identity.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: user.GetId(), Roles: roles}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.LoginResponse{
		Tokens: convert.Tokens(tokens.Msg.GetTokens()),
		User:   convert.User(user, roles),
	}), nil
}
