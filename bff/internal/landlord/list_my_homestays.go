package landlord

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// ListMyHomestays pages through the caller's homestays, on and off shelf.
func (s *Server) ListMyHomestays(ctx context.Context, req *connect.Request[bffv1.ListMyHomestaysRequest]) (*connect.Response[bffv1.ListMyHomestaysResponse], error) {
	claims, _ := auth.ClaimsFrom(ctx)
	res, err := s.clients.Travel.ListLandlordHomestays(ctx, connect.NewRequest(&travelv1.ListLandlordHomestaysRequest{
		LandlordUserId: claims.UserID, PageSize: req.Msg.GetPageSize(), PageToken: req.Msg.GetPageToken(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.ListMyHomestaysResponse{
		Homestays:     s.composer.Homestays(ctx, res.Msg.GetHomestays()),
		NextPageToken: res.Msg.GetNextPageToken(),
	}), nil
}
