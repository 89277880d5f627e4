package server

import (
	"context"

	"connectrpc.com/connect"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
)

// VerifyToken checks an access token and its session.
func (s *Server) VerifyToken(ctx context.Context, req *connect.Request[identityv1.VerifyTokenRequest]) (*connect.Response[identityv1.VerifyTokenResponse], error) {
	claims, err := s.svc.VerifyToken(ctx, req.Msg.GetAccessToken())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&identityv1.VerifyTokenResponse{
		Claims: &identityv1.Claims{
			UserId:     claims.UserID,
			SessionId:  claims.SessionID,
			Roles:      claims.Roles,
			ExpireTime: timestamp(claims.ExpiresAt),
		},
	}), nil
}
