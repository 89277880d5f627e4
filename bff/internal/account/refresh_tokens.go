package account

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// RefreshTokens rotates the refresh token in identity. A replayed refresh token ends the
// session there; this instance learns it at once from the error, the others by polling.
func (s *Server) RefreshTokens(ctx context.Context, req *connect.Request[bffv1.RefreshTokensRequest]) (*connect.Response[bffv1.RefreshTokensResponse], error) {
	res, err := s.clients.Identity.RefreshTokens(ctx, connect.NewRequest(&identityv1.RefreshTokensRequest{RefreshToken: req.Msg.GetRefreshToken()}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.RefreshTokensResponse{Tokens: convert.Tokens(res.Msg.GetTokens())}), nil
}
