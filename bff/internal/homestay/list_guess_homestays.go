package homestay

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// ListGuessHomestays asks travel for suggestions, personalised when the caller is signed in.
func (s *Server) ListGuessHomestays(ctx context.Context, req *connect.Request[bffv1.ListGuessHomestaysRequest]) (*connect.Response[bffv1.ListGuessHomestaysResponse], error) {
	claims, _ := auth.ClaimsFrom(ctx)
	res, err := s.clients.Travel.ListGuessHomestays(ctx, connect.NewRequest(&travelv1.ListGuessHomestaysRequest{
		UserId: claims.UserID, PageSize: req.Msg.GetPageSize(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.ListGuessHomestaysResponse{
		Homestays: s.composer.Homestays(ctx, res.Msg.GetHomestays()),
	}), nil
}
