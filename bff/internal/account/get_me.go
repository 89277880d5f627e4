package account

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// GetMe returns the caller's account with the roles of their token.
func (s *Server) GetMe(ctx context.Context, _ *connect.Request[bffv1.GetMeRequest]) (*connect.Response[bffv1.GetMeResponse], error) {
	claims, ok := auth.ClaimsFrom(ctx)
	if !ok {
		return nil, rpcerror.New(connect.CodeUnauthenticated, "sign in required")
	}
	res, err := s.clients.Users.GetUser(ctx, connect.NewRequest(&usercenterv1.GetUserRequest{Id: claims.UserID}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.GetMeResponse{User: convert.User(res.Msg.GetUser(), claims.Roles)}), nil
}
