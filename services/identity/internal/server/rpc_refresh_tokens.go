package server

import (
	"context"

	"connectrpc.com/connect"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
)

// RefreshTokens rotates a refresh token.
func (s *Server) RefreshTokens(ctx context.Context, req *connect.Request[identityv1.RefreshTokensRequest]) (*connect.Response[identityv1.RefreshTokensResponse], error) {
	sess, pair, err := s.svc.RefreshTokens(ctx, req.Msg.GetRefreshToken())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&identityv1.RefreshTokensResponse{
		Tokens:    toAuthTokens(pair),
		UserId:    sess.UserID,
		SessionId: sess.ID.String(),
	}), nil
}
