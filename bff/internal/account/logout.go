package account

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// Logout revokes the caller's session in identity. This instance rejects the session's tokens
// immediately; other instances within their poll interval.
func (s *Server) Logout(ctx context.Context, _ *connect.Request[bffv1.LogoutRequest]) (*connect.Response[bffv1.LogoutResponse], error) {
	claims, ok := auth.ClaimsFrom(ctx)
	if !ok {
		return nil, rpcerror.New(connect.CodeUnauthenticated, "sign in required")
	}
	if _, err := s.clients.Identity.RevokeSession(ctx, connect.NewRequest(&identityv1.RevokeSessionRequest{SessionId: claims.SessionID})); err != nil {
		return nil, rpcerror.Downstream(err)
	}
	s.auth.Revoke(claims.SessionID)
	return connect.NewResponse(&bffv1.LogoutResponse{}), nil
}
